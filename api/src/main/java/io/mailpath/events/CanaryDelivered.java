package io.mailpath.events;

import io.mailpath.MailStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A canary's delivery event arrived within its window: mail sent through {@link #transport()} reaches recipients.
 *
 * @param transport the transport it went through
 * @param mailId its mail id
 * @param sentAt when the transport accepted it
 * @param window how long its delivery could take
 * @param deliveredAt when its delivery webhook event arrived
 * @param stream the stream whose transport it went through ({@value MailStream#DEFAULT} for the unnamed one)
 */
public record CanaryDelivered(
        String transport, String mailId, Instant sentAt, Duration window, Instant deliveredAt, String stream)
        implements CanaryEvent {
    public CanaryDelivered {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mailId, "mailId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(stream, "stream");
    }

    /** A canary of the unnamed stream. */
    public CanaryDelivered(String transport, String mailId, Instant sentAt, Duration window, Instant deliveredAt) {
        this(transport, mailId, sentAt, window, deliveredAt, MailStream.DEFAULT);
    }

    /** How long the delivery took, from the send to its webhook event. */
    public Duration elapsed() {
        return Duration.between(sentAt, deliveredAt);
    }
}
