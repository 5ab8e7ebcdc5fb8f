package io.mailpath.routing;

import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import java.util.List;
import java.util.Optional;

/**
 * Whether a transport can carry a message at all, decided before it is called: a template message without fallback
 * body needs a transport that renders templates. A transport that cannot is skipped, which says nothing about the
 * message; only when no configured transport can carry it is the message refused.
 */
final class MessageFit {
    private MessageFit() {}

    /** Why this transport cannot carry the message, or empty when it can. */
    static Optional<String> whyNot(Mail mail, DirectTransport transport) {
        if (mail.hasTemplate() && !mail.hasBody() && !transport.capabilities().contains(Capability.TEMPLATES)) {
            return Optional.of("not tried: transport '" + transport.name() + "' cannot render template '"
                    + mail.templateId() + "'; a fallback body (text or html) on the message would let it send it");
        }
        return Optional.empty();
    }

    /**
     * Refuses, before any transport is called, a message that no transport of the order can carry: it could never be
     * sent as it is, so it is {@code REJECTED} (a durable outbox keeps it as dead at once, with this reason), not a
     * configuration error retried for days.
     */
    static void requireAPath(Mail mail, List<String> order, TransportRegistry registry) {
        for (String name : order) {
            if (whyNot(mail, registry.get(name)).isEmpty()) {
                return;
            }
        }
        throw new MailRejectedException(
                "Template '" + mail.templateId() + "' cannot be sent: no transport of mailpath.transports ("
                        + String.join(", ", order) + ") renders templates and the message has no fallback body;"
                        + " give it a fallback body (text or html), or send through a transport that renders"
                        + " templates (api)",
                null,
                MailException.NO_STATUS,
                null,
                null);
    }
}
