package io.mailpath.outbox.property;

import io.mailpath.Attachment;
import io.mailpath.Mail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A generated message and everything the generated script does to it: the passing faults each path answers its
 * calls with (in order, one a call), the recipients every path refuses for good, whether a path finds the message
 * itself wrong, and how the relays that send it end.
 *
 * @param to how many {@code to} recipients (1 to 3)
 * @param perRecipient whether it carries per-recipient data (then one copy per {@code to} recipient, no cc/bcc)
 * @param cc how many cc recipients
 * @param bcc how many bcc recipients
 * @param body what it carries to render
 * @param attachmentBytes the size of its one attachment, or 0 for none
 * @param apiFaults what the "api" path answers its calls with, in order; afterwards it works
 * @param smtpFaults what the "smtp" path answers its calls with, in order; afterwards it works
 * @param refusedForGood the recipients (indexes in {@code allRecipients()}) every path refuses with REJECTED, always
 * @param rejection which paths find the message itself wrong (REJECTED), always
 * @param relayEnds how the relays that send it end, one a send through the relay, in order; afterwards they live
 * @param poison whether every relay that sends it dies mid-send, for ever
 */
record MessagePlan(
        int to,
        boolean perRecipient,
        int cc,
        int bcc,
        Body body,
        int attachmentBytes,
        List<Fault> apiFaults,
        List<Fault> smtpFaults,
        Set<Integer> refusedForGood,
        Rejection rejection,
        List<RelayEnd> relayEnds,
        boolean poison) {

    /** What the message carries to render. */
    enum Body {
        TEXT,
        TEMPLATE_WITH_FALLBACK,
        /** Only the API can render it; SMTP must never be handed it. */
        TEMPLATE_ONLY
    }

    /** Which paths refuse the message itself (HTTP 422, SMTP 554), every time. */
    enum Rejection {
        NONE,
        /** Only SMTP refuses it: the API could always send it. */
        SMTP_ONLY,
        EVERY_PATH
    }

    /** How a relay ends while it sends the message. */
    enum RelayEnd {
        /** The relay dies (an Error escapes its drain) before the send starts. */
        DIES_BEFORE_SEND,
        /** The send goes out, then the relay dies before recording it. */
        DIES_AFTER_SEND,
        /** The application stops the relay while it sends: the send finishes, the rest of its batch is handed back. */
        STOPPED_DURING_SEND
    }

    /** A text message to {@code to} recipients that nothing goes wrong with; the methods below change it. */
    static MessagePlan text(int to) {
        return new MessagePlan(
                to, false, 0, 0, Body.TEXT, 0, List.of(), List.of(), Set.of(), Rejection.NONE, List.of(), false);
    }

    MessagePlan body(Body body) {
        return new MessagePlan(
                to,
                perRecipient,
                cc,
                bcc,
                body,
                attachmentBytes,
                apiFaults,
                smtpFaults,
                refusedForGood,
                rejection,
                relayEnds,
                poison);
    }

    MessagePlan sentPerRecipient() {
        return new MessagePlan(
                to,
                true,
                cc,
                bcc,
                body,
                attachmentBytes,
                apiFaults,
                smtpFaults,
                refusedForGood,
                rejection,
                relayEnds,
                poison);
    }

    MessagePlan apiFails(Fault... faults) {
        return new MessagePlan(
                to,
                perRecipient,
                cc,
                bcc,
                body,
                attachmentBytes,
                List.of(faults),
                smtpFaults,
                refusedForGood,
                rejection,
                relayEnds,
                poison);
    }

    MessagePlan smtpFails(Fault... faults) {
        return new MessagePlan(
                to,
                perRecipient,
                cc,
                bcc,
                body,
                attachmentBytes,
                apiFaults,
                List.of(faults),
                refusedForGood,
                rejection,
                relayEnds,
                poison);
    }

    MessagePlan refusedForGood(Integer... recipients) {
        return new MessagePlan(
                to,
                perRecipient,
                cc,
                bcc,
                body,
                attachmentBytes,
                apiFaults,
                smtpFaults,
                Set.of(recipients),
                rejection,
                relayEnds,
                poison);
    }

    MessagePlan rejectedBy(Rejection rejection) {
        return new MessagePlan(
                to,
                perRecipient,
                cc,
                bcc,
                body,
                attachmentBytes,
                apiFaults,
                smtpFaults,
                refusedForGood,
                rejection,
                relayEnds,
                poison);
    }

    MessagePlan poisonous() {
        return new MessagePlan(
                to,
                perRecipient,
                cc,
                bcc,
                body,
                attachmentBytes,
                apiFaults,
                smtpFaults,
                refusedForGood,
                rejection,
                relayEnds,
                true);
    }

    int recipientCount() {
        return to + cc + bcc;
    }

    /** The address of recipient {@code index} of message {@code id}: to first, then cc, then bcc. */
    static String address(String id, int index) {
        return "r" + index + "." + id + "@example.com";
    }

    /** The index a recipient's address names (see {@link #address}). */
    static int index(String address) {
        return Integer.parseInt(address.substring(1, address.indexOf('.')));
    }

    List<String> addresses(String id) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < recipientCount(); i++) {
            all.add(address(id, i));
        }
        return all;
    }

    /** Whether no path can ever send it to anyone: a path may then give it up as REJECTED. */
    boolean unsendable() {
        return rejection == Rejection.EVERY_PATH
                || (rejection == Rejection.SMTP_ONLY && body == Body.TEMPLATE_ONLY)
                || refusedForGood.size() == recipientCount();
    }

    Mail toMail(String id) {
        List<String> all = addresses(id);
        Mail.Builder b = Mail.builder()
                .id(id)
                .from("sender@example.com")
                .subject("Property " + id)
                .to(all.subList(0, to).toArray(String[]::new));
        if (cc > 0) {
            b.cc(all.subList(to, to + cc).toArray(String[]::new));
        }
        if (bcc > 0) {
            b.bcc(all.subList(to + cc, to + cc + bcc).toArray(String[]::new));
        }
        switch (body) {
            case TEXT -> b.text("Hello from " + id);
            case TEMPLATE_WITH_FALLBACK -> b.template("welcome")
                    .substitution("name", "Ann")
                    .text("Hello Ann");
            case TEMPLATE_ONLY -> b.template("welcome").substitution("name", "Ann");
        }
        if (perRecipient) {
            for (int i = 0; i < to; i++) {
                b.recipientData(all.get(i), Map.of("name", "R" + i));
            }
        }
        if (attachmentBytes > 0) {
            byte[] content = new byte[attachmentBytes];
            Arrays.fill(content, (byte) ('a' + attachmentBytes % 26));
            b.attach(Attachment.named("file.bin")
                    .type("application/octet-stream")
                    .bytes(content));
        }
        return b.build();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(
                switch (body) {
                    case TEXT -> "text";
                    case TEMPLATE_WITH_FALLBACK -> "template+fallback";
                    case TEMPLATE_ONLY -> "template without fallback";
                });
        s.append(", to ").append(to);
        if (perRecipient) {
            s.append(" (per-recipient)");
        }
        if (cc > 0) {
            s.append(", cc ").append(cc);
        }
        if (bcc > 0) {
            s.append(", bcc ").append(bcc);
        }
        if (attachmentBytes > 0) {
            s.append(", attachment ").append(attachmentBytes).append(" B");
        }
        if (!apiFaults.isEmpty()) {
            s.append("; api fails ").append(apiFaults);
        }
        if (!smtpFaults.isEmpty()) {
            s.append("; smtp fails ").append(smtpFaults);
        }
        if (!refusedForGood.isEmpty()) {
            s.append("; refused for good: ")
                    .append(refusedForGood.stream().sorted().map(i -> "r" + i).collect(Collectors.joining(",")));
        }
        if (rejection != Rejection.NONE) {
            s.append("; rejected by ").append(rejection == Rejection.SMTP_ONLY ? "smtp" : "every path");
        }
        if (!relayEnds.isEmpty()) {
            s.append("; relays ").append(relayEnds);
        }
        if (poison) {
            s.append("; POISON (every relay dies sending it)");
        }
        return s.toString();
    }
}
