package io.mailpath.health;

import io.mailpath.FailureKind;
import io.mailpath.MailException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the routed sends and the canary showed of one transport, at one moment.
 *
 * @param transport the transport's name
 * @param attempts attempts made through it (retries count, sends its open circuit refused and canaries too)
 * @param failures those that failed
 * @param lastSuccess when an attempt last delivered, or null if none has
 * @param lastFailure the last attempt that failed, or null if none has
 * @param latestFailed whether the latest attempt failed (a success came before it, if any)
 * @param circuitOpenSince when a send first met the transport's open circuit breaker, or null when no call has been
 *     refused since the breaker last let one through
 * @param canaryFailure the failure of the canary's latest send through the transport when it
 *     {@linkplain Failure#speaksForThePath() speaks for the path} and nothing was delivered through the transport
 *     since; null otherwise
 */
public record TransportStatus(
        String transport,
        long attempts,
        long failures,
        Instant lastSuccess,
        Failure lastFailure,
        boolean latestFailed,
        Instant circuitOpenSince,
        Failure canaryFailure) {
    /**
     * The failures after which the transport cannot send until something changes: unreachable or failing, refusing
     * the credentials, set up wrongly. A rejected message, a rate limit or an uncertain answer show a transport that
     * answers, so they never count against readiness; nor does a refusal of the message's recipients one by one
     * ({@link Failure#recipientsRefused()}), whatever its kind.
     */
    public static final Set<FailureKind> CANNOT_SEND =
            EnumSet.of(FailureKind.UNAVAILABLE, FailureKind.AUTHENTICATION, FailureKind.CONFIGURATION);

    /** Why a transport cannot send now ({@link #cannotSendBecause}). */
    public enum Cause {
        /** Its circuit breaker refuses calls. */
        CIRCUIT_OPEN,
        /** Its latest attempt failed in a way that speaks for the path, within the failure window. */
        LAST_FAILURE,
        /** The canary's latest send through it failed that way, and nothing was delivered through it since. */
        CANARY
    }

    /**
     * One failed attempt, as the readiness data may show it: no personal data, no secret.
     *
     * @param at when the send that made it ended
     * @param kind its kind
     * @param status the HTTP status or SMTP reply code, or {@link MailException#NO_STATUS}
     * @param reason a short reason free of addresses ({@link FailureReason})
     * @param recipientsRefused whether the server refused every recipient one by one, rather than the message or the
     *     transport
     */
    public record Failure(Instant at, FailureKind kind, int status, String reason, boolean recipientsRefused) {
        /**
         * Whether this failure means the transport cannot send: its kind is one of {@link #CANNOT_SEND}, and it is
         * not the recipients' own (a greylisted or unknown mailbox says nothing of the path: the next message may go
         * through).
         */
        public boolean speaksForThePath() {
            return CANNOT_SEND.contains(kind) && !recipientsRefused;
        }
    }

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
     * Why the transport cannot send now, or empty when it can: its circuit is open; or the canary's latest send
     * through it failed in a way that {@linkplain Failure#speaksForThePath() speaks for the path} and nothing was
     * delivered through it since; or its latest attempt is such a failure and younger than the window. A canary's failure
     * is not bounded by the window: the canary runs whatever the traffic, so its next send shows the recovery.
     */
    public Optional<Cause> cannotSendBecause(Instant now, Duration failureWindow, Optional<Duration> circuitDelay) {
        if (circuit(now, circuitDelay) == Circuit.OPEN) {
            return Optional.of(Cause.CIRCUIT_OPEN);
        }
        if (canaryFailure != null) {
            return Optional.of(Cause.CANARY);
        }
        if (latestFailed
                && lastFailure.speaksForThePath()
                && now.isBefore(lastFailure.at().plus(failureWindow))) {
            return Optional.of(Cause.LAST_FAILURE);
        }
        return Optional.empty();
    }

    /** Whether the transport may send now: it has no {@linkplain #cannotSendBecause cause not to}. */
    public boolean canSend(Instant now, Duration failureWindow, Optional<Duration> circuitDelay) {
        return cannotSendBecause(now, failureWindow, circuitDelay).isEmpty();
    }
}
