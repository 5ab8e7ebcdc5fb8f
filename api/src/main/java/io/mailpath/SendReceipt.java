package io.mailpath;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a send achieved.
 *
 * @param transport the transport that delivered ({@code "api"} or {@code "smtp"})
 * @param mailId the message's stable id ({@link Mail#id()}), the same on every path
 * @param deliveries each message handed over, with its ids to correlate with delivery events
 * @param accepted every recipient the server accepted
 * @param rejected recipients the server refused while it accepted others; empty when all were accepted
 * @param attempts every attempt, failed ones first, the delivering one last
 * @param failedOver whether an earlier transport failed before this one delivered
 * @param possibleDuplicate whether an earlier attempt may have delivered too (its outcome was uncertain)
 * @param stream the stream the message went out on ({@link Mail#stream()}): {@value MailStream#DEFAULT} unless a
 *     named stream sent it
 */
public record SendReceipt(
        String transport,
        String mailId,
        List<Delivery> deliveries,
        List<String> accepted,
        List<RejectedRecipient> rejected,
        List<Attempt> attempts,
        boolean failedOver,
        boolean possibleDuplicate,
        String stream) {

    public SendReceipt {
        stream = stream == null ? MailStream.DEFAULT : stream;
        deliveries = List.copyOf(deliveries);
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
        attempts = List.copyOf(attempts);
    }

    /** A receipt of the unnamed stream, as built before streams existed. */
    public SendReceipt(
            String transport,
            String mailId,
            List<Delivery> deliveries,
            List<String> accepted,
            List<RejectedRecipient> rejected,
            List<Attempt> attempts,
            boolean failedOver,
            boolean possibleDuplicate) {
        this(transport, mailId, deliveries, accepted, rejected, attempts, failedOver, possibleDuplicate, null);
    }

    /**
     * What one transport reports after handing a message over: the accepted recipients are those of the deliveries,
     * and the only attempt is this one.
     */
    public static SendReceipt delivered(
            String transport,
            String mailId,
            List<Delivery> deliveries,
            List<RejectedRecipient> rejected,
            int status,
            Duration took) {
        List<String> accepted = new ArrayList<>();
        deliveries.forEach(d -> accepted.addAll(d.recipients()));
        return new SendReceipt(
                transport,
                mailId,
                deliveries,
                accepted,
                rejected,
                List.of(Attempt.succeeded(transport, status, took)),
                false,
                false);
    }

    /** Mailtarget's transmission id of the first delivery, or null when the message did not go through the API. */
    public String transmissionId() {
        return deliveries.isEmpty() ? null : deliveries.get(0).transmissionId();
    }

    /** The Message-ID of the first delivery, or null when the transport did not assign one. */
    public String messageId() {
        return deliveries.isEmpty() ? null : deliveries.get(0).messageId();
    }

    /** Whether some recipients were refused. */
    public boolean isPartial() {
        return !rejected.isEmpty();
    }
}
