package io.mailpath;

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
 */
public record SendReceipt(
        String transport,
        String mailId,
        List<Delivery> deliveries,
        List<String> accepted,
        List<RejectedRecipient> rejected,
        List<Attempt> attempts,
        boolean failedOver,
        boolean possibleDuplicate) {

    public SendReceipt {
        deliveries = List.copyOf(deliveries);
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
        attempts = List.copyOf(attempts);
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
