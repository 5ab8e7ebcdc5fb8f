package io.mailpath;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The root of every error Mailpath raises. It is unchecked; its subclass (and {@link #kind()}) says what can help.
 *
 * <p>Messages never contain secrets (API keys, passwords).
 */
public abstract class MailException extends RuntimeException {
    /** Value of {@link #status()} when no status or reply code is known. */
    public static final int NO_STATUS = -1;

    private final FailureKind kind;
    private final String transport;
    private final int status;
    private final String errorCode;
    private final List<RejectedRecipient> refusedRecipients;

    protected MailException(
            FailureKind kind, String message, String transport, int status, String errorCode, Throwable cause) {
        this(kind, message, transport, status, errorCode, cause, List.of());
    }

    /**
     * A failure of recipients, not of the message or the transport: the server refused every recipient one by one.
     *
     * @param refusedRecipients each recipient the server refused, with its own reply; empty for any other failure
     */
    protected MailException(
            FailureKind kind,
            String message,
            String transport,
            int status,
            String errorCode,
            Throwable cause,
            List<RejectedRecipient> refusedRecipients) {
        super(message, cause);
        this.kind = kind;
        this.transport = transport;
        this.status = status;
        this.errorCode = errorCode;
        this.refusedRecipients = List.copyOf(refusedRecipients);
    }

    /** What kind of failure this is. */
    public FailureKind kind() {
        return kind;
    }

    /** The name of the transport that saw the failure ({@code "api"}, {@code "smtp"}), or null before any transport. */
    public String transport() {
        return transport;
    }

    /** The HTTP status or SMTP reply code, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    /** The server's own error code when it gave one, or null. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * How long the service asked to wait before the message is sent again, when it said: the {@code Retry-After} of a
     * rate-limited failure ({@link MailRateLimitedException}), or for a failover ({@link MailFailoverException}) the
     * longest of its rate-limited attempts. Empty for every other failure: then the caller picks its own backoff.
     *
     * @return the wait asked for, or empty when none is known
     */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /**
     * When the server refused every recipient one by one (an SMTP server's replies to RCPT: an unknown mailbox, a
     * greylisted one) rather than the message or the session: each of them, with its own reply. Empty for every other
     * failure. Such a failure says nothing about the transport's health: the next message may well go through.
     */
    public List<RejectedRecipient> refusedRecipients() {
        return refusedRecipients;
    }
}
