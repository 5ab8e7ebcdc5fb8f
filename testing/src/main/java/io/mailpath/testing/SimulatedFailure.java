package io.mailpath.testing;

import io.mailpath.FailureKind;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import java.time.Duration;

/**
 * How an in-memory transport fails a delivery, the way a real one does: told to a {@link Mailbox} with
 * {@link Mailbox#failNext} or {@link Mailbox#failRandomly}.
 */
public final class SimulatedFailure {
    private final FailureKind kind;
    private final int status;
    private final Duration retryAfter;
    private final boolean acceptedFirst;

    private SimulatedFailure(FailureKind kind, int status, Duration retryAfter, boolean acceptedFirst) {
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.acceptedFirst = acceptedFirst;
    }

    /** The server refuses the message ({@link MailRejectedException}) with a status, such as 400 or 550. */
    public static SimulatedFailure rejected(int status) {
        return new SimulatedFailure(FailureKind.REJECTED, status, null, false);
    }

    /** The server refuses the credentials ({@link MailAuthenticationException}, status 401). */
    public static SimulatedFailure authentication() {
        return new SimulatedFailure(FailureKind.AUTHENTICATION, 401, null, false);
    }

    /**
     * The server asks the caller to slow down ({@link MailRateLimitedException}, status 429).
     *
     * @param retryAfter the {@code Retry-After} it sends, or null when it says nothing
     */
    public static SimulatedFailure rateLimited(Duration retryAfter) {
        return new SimulatedFailure(FailureKind.RATE_LIMITED, 429, retryAfter, false);
    }

    /** The server cannot take the message now ({@link MailUnavailableException}, status 503); nothing is recorded. */
    public static SimulatedFailure unavailable() {
        return new SimulatedFailure(FailureKind.UNAVAILABLE, 503, null, false);
    }

    /**
     * The server accepts the message but its answer is lost: the message is recorded, and the sender gets a
     * {@link MailUncertainException}, as after a read timeout.
     */
    public static SimulatedFailure uncertainAfterAccept() {
        return new SimulatedFailure(FailureKind.UNCERTAIN, MailException.NO_STATUS, null, true);
    }

    /** The kind of failure the sender sees. */
    public FailureKind kind() {
        return kind;
    }

    /** Whether the message is recorded before the failure is thrown. */
    boolean acceptedFirst() {
        return acceptedFirst;
    }

    /** The exception a transport of that name throws. */
    MailException exception(String transport) {
        String message = "Simulated by the test kit: transport '" + transport + "' failed with " + this;
        return switch (kind) {
            case REJECTED -> new MailRejectedException(message, transport, status, null, null);
            case AUTHENTICATION -> new MailAuthenticationException(message, transport, status, null, null);
            case RATE_LIMITED -> new MailRateLimitedException(message, transport, status, null, retryAfter, null);
            case UNAVAILABLE -> new MailUnavailableException(message, transport, status, null, null);
            case UNCERTAIN -> new MailUncertainException(message, transport, status, null, null);
            case CONFIGURATION -> throw new IllegalStateException("not simulated: " + kind);
        };
    }

    @Override
    public String toString() {
        return kind
                + (status == MailException.NO_STATUS ? "" : " " + status)
                + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toMillis() + " ms)")
                + (acceptedFirst ? " after the message was accepted" : "");
    }
}
