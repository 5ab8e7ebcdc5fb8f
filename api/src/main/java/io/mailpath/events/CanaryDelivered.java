package io.mailpath.events;

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
 */
public record CanaryDelivered(String transport, String mailId, Instant sentAt, Duration window, Instant deliveredAt)
        implements CanaryEvent {
    public CanaryDelivered {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mailId, "mailId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
    }

    /** How long the delivery took, from the send to its webhook event. */
    public Duration elapsed() {
        return Duration.between(sentAt, deliveredAt);
    }
}
