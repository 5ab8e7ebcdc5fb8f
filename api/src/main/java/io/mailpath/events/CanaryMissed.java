package io.mailpath.events;

import io.mailpath.MailStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * No delivery event came for a canary within its window, although the transport accepted it: mail sent through
 * {@link #transport()} may be failing silently (held, dropped, bounced, or its webhooks are not arriving). Alert on it.
 *
 * @param transport the transport it went through
 * @param mailId its mail id
 * @param sentAt when the transport accepted it
 * @param window how long its delivery could take; it was missed at {@code sentAt + window}
 * @param stream the stream whose transport it went through ({@value MailStream#DEFAULT} for the unnamed one)
 */
public record CanaryMissed(String transport, String mailId, Instant sentAt, Duration window, String stream)
        implements CanaryEvent {
    public CanaryMissed {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mailId, "mailId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(stream, "stream");
    }

    /** A canary of the unnamed stream. */
    public CanaryMissed(String transport, String mailId, Instant sentAt, Duration window) {
        this(transport, mailId, sentAt, window, MailStream.DEFAULT);
    }
}
