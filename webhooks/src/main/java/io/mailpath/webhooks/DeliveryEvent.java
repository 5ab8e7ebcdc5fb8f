package io.mailpath.webhooks;

import io.mailpath.Mail;
import io.mailpath.MailStream;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event of a Mailtarget delivery webhook, normalised and correlated to the message it is about. The receiver fires
 * each as a CDI event: {@code void onDelivery(@Observes DeliveryEvent event)} runs before Mailtarget gets its answer
 * (an observer that throws makes Mailtarget send the batch again); {@code @ObservesAsync} observers run afterwards.
 *
 * <p>Only {@link #type()}, {@link #status()}, {@link #metadata()}, {@link #stream()} and {@link #raw()} are never
 * {@code null}; every other component is {@code null} when the event did not carry it. {@link #toString()} shows the
 * ids only, never the recipient or the metadata.
 *
 * @param type what happened, normalised from {@link #status()}
 * @param bounce for a {@link Type#BOUNCED} event, whether the bounce was hard or soft when the status says so;
 *     {@code null} for every other type
 * @param status the status exactly as Mailtarget sent it ({@code ""} when it sent none)
 * @param eventId Mailtarget's id of this event, the key by which repeated deliveries are dropped
 * @param mailpathId the id of the {@code io.mailpath.Mail} this event is about ({@code Mail.id()}, sent by the API
 *     transport in metadata as {@value io.mailpath.Mail#ID_METADATA_KEY})
 * @param transmissionId Mailtarget's transmission id ({@code SendReceipt.transmissionId()}), when the event carries it
 * @param messageId Mailtarget's id of the message
 * @param recipient the recipient's address
 * @param metadata the message's metadata, read from the event's {@code recipientMeta}; empty when it had none
 * @param timestamp when the event happened
 * @param batchId the id of the webhook batch that carried this event
 * @param retryCount how many times Mailtarget had already tried to deliver that batch (0 the first time)
 * @param raw the event as Mailtarget sent it, with every field, known or not
 */
public record DeliveryEvent(
        Type type,
        Bounce bounce,
        String status,
        String eventId,
        String mailpathId,
        String transmissionId,
        String messageId,
        String recipient,
        Map<String, String> metadata,
        Instant timestamp,
        String batchId,
        int retryCount,
        JsonObject raw) {

    /** What happened to the message. */
    public enum Type {
        /** Mailtarget accepted the message for delivery. */
        INJECTED,
        /** The recipient's server accepted the message. */
        DELIVERED,
        /** The recipient's server deferred the message; Mailtarget tries again. */
        DELAYED,
        /** The message bounced; {@link DeliveryEvent#bounce()} says whether hard or soft when known. */
        BOUNCED,
        /** The recipient opened the message (open tracking). */
        OPENED,
        /** The recipient clicked a link (click tracking). */
        CLICKED,
        /** The recipient reported the message as spam. */
        COMPLAINED,
        /** The recipient unsubscribed. */
        UNSUBSCRIBED,
        /** A bounce that arrived later, apart from the delivery attempt. */
        OUT_OF_BAND,
        /** A status Mailpath does not know; {@link DeliveryEvent#status()} and {@link DeliveryEvent#raw()} tell. */
        OTHER
    }

    /**
     * Whether a bounce is permanent: as the status says ({@code hard_bounce}, {@code soft_bounce}), otherwise by the
     * receiving server's SMTP reply the event quotes ({@code reason}, {@code rawReason}, {@code errorCode}): the enhanced
     * status code's class ({@code 5.1.1} hard, {@code 4.2.2} soft), or without one the reply code's ({@code 550} hard,
     * {@code 421} soft).
     */
    public enum Bounce {
        /** Permanent ({@code 5.x.x}, {@code 5xx}): the address does not accept mail; stop sending to it. */
        HARD,
        /** Temporary ({@code 4.x.x}, {@code 4xx}): a full mailbox, a server that refused for now. */
        SOFT,
        /** Neither the status nor an SMTP reply in the event said. */
        UNKNOWN
    }

    public DeliveryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        Objects.requireNonNull(raw, "raw");
        if ((type == Type.BOUNCED) != (bounce != null)) {
            throw new IllegalArgumentException("a bounce kind belongs to BOUNCED events, and to them only");
        }
    }

    /**
     * The stream the message went out on: the name a named stream's transport sent in metadata as
     * {@value io.mailpath.Mail#STREAM_METADATA_KEY}, or {@value io.mailpath.MailStream#DEFAULT} when the event carries
     * none (the unnamed stream sends none, nor did Mailpath before streams existed). Like {@code Mail.stream()}.
     */
    public String stream() {
        String stream = metadata.get(Mail.STREAM_METADATA_KEY);
        return stream == null || stream.isBlank() ? MailStream.DEFAULT : stream;
    }

    @Override
    public String toString() {
        return "DeliveryEvent[" + type + (bounce == null ? "" : "/" + bounce) + ", eventId=" + eventId
                + ", mailpathId=" + mailpathId + ", transmissionId=" + transmissionId + ", messageId=" + messageId
                + "]";
    }
}
