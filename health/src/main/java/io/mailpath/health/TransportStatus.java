package io.mailpath.health;

import io.mailpath.FailureKind;
import io.mailpath.MailException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the routed sends showed of one transport, at one moment.
 *
 * @param transport the transport's name
 * @param attempts attempts made through it (retries count, and so do sends its open circuit refused)
 * @param failures those that failed
 * @param lastSuccess when an attempt last delivered, or null if none has
 * @param lastFailure the last attempt that failed, or null if none has
 * @param latestFailed whether the latest attempt failed (a success came before it, if any)
 * @param circuitOpenSince when a send first met the transport's open circuit breaker, or null when no call has been
 *     refused since the breaker last let one through
 */
public record TransportStatus(
        String transport,
        long attempts,
        long failures,
        Instant lastSuccess,
        Failure lastFailure,
        boolean latestFailed,
        Instant circuitOpenSince) {
    /**
     * The failures after which the transport cannot send until something changes: unreachable or failing, refusing
     * the credentials, set up wrongly. A rejected message, a rate limit or an uncertain answer show a transport that
     * answers, so they never count against readiness.
     */
    public static final Set<FailureKind> CANNOT_SEND =
            EnumSet.of(FailureKind.UNAVAILABLE, FailureKind.AUTHENTICATION, FailureKind.CONFIGURATION);

    /**
     * One failed attempt.
     *
     * @param at when the send that made it ended
     * @param kind its kind
     * @param status the HTTP status or SMTP reply code, or {@link MailException#NO_STATUS}
     * @param detail the transport's description (which never holds secrets), on one line, shortened
     */
    public record Failure(Instant at, FailureKind kind, int status, String detail) {}

    /** The circuit breaker as the sends saw it. */
    public enum Circuit {
        /** Calls go through (or none has been refused since it last let one through). */
        CLOSED,
        /** Calls are refused: mail goes straight to the next transport. */
        OPEN,
        /** Its delay has passed since the first refusal: the next call is let through as a trial. */
        HALF_OPEN
    }

    /** The circuit breaker's state now, given its delay (empty: switched off, so never open). */
    public Circuit circuit(Instant now, Optional<Duration> delay) {
        if (circuitOpenSince == null || delay.isEmpty()) {
            return Circuit.CLOSED;
        }
        return now.isBefore(circuitOpenSince.plus(delay.get())) ? Circuit.OPEN : Circuit.HALF_OPEN;
    }

    /**
     * Whether the transport may send now: false while its circuit is open, or while its latest attempt is a failure
     * that means it cannot send ({@link #CANNOT_SEND}) and that failure is younger than the window.
     */
    public boolean canSend(Instant now, Duration failureWindow, Optional<Duration> circuitDelay) {
        if (circuit(now, circuitDelay) == Circuit.OPEN) {
            return false;
        }
        return !(latestFailed
                && CANNOT_SEND.contains(lastFailure.kind())
                && now.isBefore(lastFailure.at().plus(failureWindow)));
    }
}
