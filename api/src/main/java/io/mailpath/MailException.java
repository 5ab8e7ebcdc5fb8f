package io.mailpath;

import java.time.Duration;
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

    protected MailException(
            FailureKind kind, String message, String transport, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.transport = transport;
        this.status = status;
        this.errorCode = errorCode;
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
}
