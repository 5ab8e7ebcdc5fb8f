package io.mailpath.outbox.property;

import io.mailpath.Address;
import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.RejectedRecipient;
import io.mailpath.spi.AbstractTransport;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.PartReceipt;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A path whose peer follows the generated script ({@link Peers}), built on the spi's {@link AbstractTransport} like
 * the real transports, so that a part's failure becomes a partial receipt through the same accounting: one copy per
 * recipient with per-recipient data, else one copy to all, whose recipients are accepted or refused one by one (as
 * SMTP's RCPT is). Two paths: {@value #API}, which renders templates, and {@value #SMTP}, which cannot.
 */
final class ScriptedTransport extends AbstractTransport<ScriptedTransport.Part> {
    static final String API = "scripted-api";
    static final String SMTP = "scripted-smtp";

    /** One copy: the message, whom it goes to, and the fault the script has for the call it belongs to. */
    record Part(Mail mail, List<String> recipients, Fault fault) {}

    ScriptedTransport(TransportProvider provider) {
        super(provider);
    }

    @Override
    protected List<Part> compose(Mail mail) {
        if (name().equals(SMTP) && mail.hasTemplate() && !mail.hasBody()) {
            Peers.NOW.violation("smtp was handed template mail " + mail.id() + " without a body to send");
            throw new MailRejectedException("cannot render a template", name(), 554, null, null);
        }
        Fault fault = Peers.NOW.callStarts(name(), mail.id());
        if (!mail.isPerRecipient()) {
            return List.of(new Part(
                    mail, mail.allRecipients().stream().map(Address::email).toList(), fault));
        }
        return mail.to().stream()
                .map(a -> new Part(mail, List.of(a.email()), fault))
                .toList();
    }

    @Override
    protected List<String> recipients(Part part) {
        return part.recipients();
    }

    @Override
    protected PartReceipt deliver(Part part) {
        Mail mail = part.mail();
        MessagePlan plan = Peers.NOW.plan(mail.id());
        Fault scripted = part.fault();
        // A peer that is down, limits the rate or refuses the credentials answers so before it reads the message:
        // such a fault comes before a rejection of the message (and the wait it asks for is then real).
        boolean answersBeforeReading = scripted != null
                && scripted.wholeCall()
                && scripted.kind() != Fault.Kind.SLOW
                && scripted.kind() != Fault.Kind.UNCERTAIN_AFTER_ACCEPT;
        if (!answersBeforeReading
                && (plan.rejection() == MessagePlan.Rejection.EVERY_PATH
                        || (plan.rejection() == MessagePlan.Rejection.SMTP_ONLY && name().equals(SMTP)))) {
            throw failure(FailureKind.REJECTED, "the message is wrong", null);
        }
        // Recipients are named by their place in the message as enqueued ("r<index>.<id>@..."), not by their place in
        // this copy: a later try may carry only some of them.
        Fault fault = part.fault();
        String hit = fault == null || fault.wholeCall() ? null : MessagePlan.address(mail.id(), fault.recipient());
        boolean wholePart = fault != null
                && fault.kind() != Fault.Kind.SLOW
                && (fault.wholeCall()
                        || (part.recipients().size() == 1 && part.recipients().contains(hit)));
        List<String> accepted = new ArrayList<>();
        List<RejectedRecipient> refused = new ArrayList<>();
        for (String r : part.recipients()) {
            if (plan.refusedForGood().contains(MessagePlan.index(r))) {
                refused.add(RejectedRecipient.refused(r, 550, "no such mailbox"));
            } else if (!wholePart && r.equals(hit)) {
                // One recipient of a copy to all fails for now, as a 451 on its RCPT.
                refused.add(RejectedRecipient.refused(r, 451, "try again later"));
            } else {
                accepted.add(r);
            }
        }
        if (accepted.isEmpty()) {
            throw failure(
                    refused.stream().allMatch(r -> r.kind() == FailureKind.REJECTED)
                            ? FailureKind.REJECTED
                            : FailureKind.UNAVAILABLE,
                    "no recipient accepted",
                    null);
        }
        if (wholePart) {
            switch (fault.kind()) {
                case UNAVAILABLE -> throw failure(FailureKind.UNAVAILABLE, "service unavailable", null);
                case AUTHENTICATION -> throw failure(FailureKind.AUTHENTICATION, "credentials refused", null);
                case RATE_LIMITED -> throw failure(FailureKind.RATE_LIMITED, "slow down", fault);
                case UNCERTAIN_BEFORE_ACCEPT -> throw failure(FailureKind.UNCERTAIN, "no answer", null);
                case UNCERTAIN_AFTER_ACCEPT -> {
                    Peers.NOW.received(name(), mail.id(), accepted);
                    throw failure(FailureKind.UNCERTAIN, "no answer after the message was taken", null);
                }
                case SLOW -> throw new IllegalStateException("a slow peer answers");
            }
        }
        Peers.NOW.received(name(), mail.id(), accepted);
        return new PartReceipt(
                new Delivery(accepted, name().equals(API) ? "tx-" + mail.id() : null, "<" + mail.id() + "@test>"),
                refused,
                name().equals(API) ? 200 : 250);
    }

    private MailException failure(FailureKind kind, String why, Fault fault) {
        String message = "scripted " + name() + " peer: " + why;
        boolean api = name().equals(API);
        return switch (kind) {
            case REJECTED -> new MailRejectedException(message, name(), api ? 422 : 554, null, null);
            case AUTHENTICATION -> new MailAuthenticationException(message, name(), api ? 401 : 535, null, null);
            case RATE_LIMITED -> new MailRateLimitedException(
                    message, name(), api ? 429 : 421, null, fault == null ? null : fault.retryAfter(), null);
            case UNAVAILABLE -> new MailUnavailableException(message, name(), api ? 503 : 451, null, null);
            case UNCERTAIN -> new MailUncertainException(message, name(), MailException.NO_STATUS, null, null);
            case CONFIGURATION -> throw new IllegalArgumentException(kind.name());
        };
    }

    @Override
    protected void release() {
        // Nothing held: the peers outlive the transport.
    }

    /** Builds a scripted path. */
    abstract static class Provider implements TransportProvider {
        @Override
        public DirectTransport create(TransportConfig config) {
            return new ScriptedTransport(this);
        }
    }

    /** The {@value #API} path: carries everything, templates included. */
    public static final class Api extends Provider {
        @Override
        public String name() {
            return API;
        }

        @Override
        public int priority() {
            return -20;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }
    }

    /** The {@value #SMTP} path: cannot render templates or apply tracking options. */
    public static final class Smtp extends Provider {
        @Override
        public String name() {
            return SMTP;
        }

        @Override
        public int priority() {
            return -21;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.complementOf(EnumSet.of(Capability.TEMPLATES, Capability.TRACKING_OPTIONS));
        }
    }
}
