package io.mailpath.routing;

import io.mailpath.FailureKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router does once a path's guarded call failed: the failover table of the docs, as code. It decides only;
 * {@link PrimaryPath#failOver} does what it says. It reads no configuration, clock or transport, so that every row of
 * the table is a plain unit test.
 *
 * <table>
 *   <caption>The failure of a path, and what happens next</caption>
 *   <tr><th>failure</th><th>next step</th></tr>
 *   <tr><td>rejected, configuration</td><td>stop: the message or the setup is wrong, another path would not help</td></tr>
 *   <tr><td>authentication</td><td>fail over only with {@code mailpath.failover.on-authentication=true}</td></tr>
 *   <tr><td>rate limited</td><td>the primary, once, when its {@code Retry-After} is known and at most
 *       {@code mailpath.failover.rate-limit-max-wait-ms}: wait, then try it again; otherwise fail over</td></tr>
 *   <tr><td>unavailable (after {@code @Retry}; also an open circuit)</td><td>fail over</td></tr>
 *   <tr><td>uncertain</td><td>fail over (the receipt says possible duplicate) unless
 *       {@code mailpath.failover.on-uncertain=false}</td></tr>
 * </table>
 *
 * To fail over needs a next path: none left stops; one that cannot carry the message (a template without fallback
 * body on a transport that renders none) is skipped, and the same failure is weighed against the path after it.
 */
final class FailoverPolicy {
    /** The next step of a send whose path failed. */
    enum Step {
        /** Wait for the primary's {@code Retry-After}, then try the primary again, under its own guard. */
        RETRY_PRIMARY,
        /** Send through the next path. */
        FAIL_OVER,
        /** Pass over the next path, which cannot carry the message, and decide again with the path after it. */
        SKIP_NEXT,
        /** The send has failed: no path is left, or none would help. */
        STOP
    }

    /** The next path in the order, as far as the message goes. */
    enum NextPath {
        NONE,
        CAN_CARRY,
        CANNOT_CARRY
    }

    private final boolean onAuthentication;
    private final boolean onUncertain;
    private final Duration rateLimitMaxWait;

    /**
     * @param onAuthentication {@code mailpath.failover.on-authentication}
     * @param onUncertain {@code mailpath.failover.on-uncertain}
     * @param rateLimitMaxWait {@code mailpath.failover.rate-limit-max-wait-ms}
     */
    FailoverPolicy(boolean onAuthentication, boolean onUncertain, Duration rateLimitMaxWait) {
        this.onAuthentication = onAuthentication;
        this.onUncertain = onUncertain;
        this.rateLimitMaxWait = Objects.requireNonNull(rateLimitMaxWait, "rateLimitMaxWait");
    }

    /**
     * The next step after a failure.
     *
     * @param kind the failure's kind, as the transport classified it (an open circuit is unavailable, a Fault Tolerance
     *     timeout with the transport still at work uncertain)
     * @param retryAfter the wait the service asked for, if it said
     * @param primaryMayRetry whether the failure is the primary's and the primary has not yet been tried again after a
     *     wait: it is, at most once per send
     * @param next the path after the one that failed
     */
    Step next(FailureKind kind, Optional<Duration> retryAfter, boolean primaryMayRetry, NextPath next) {
        if (kind == FailureKind.RATE_LIMITED && primaryMayRetry && worthWaiting(retryAfter)) {
            return Step.RETRY_PRIMARY;
        }
        boolean failOver =
                switch (kind) {
                    case REJECTED, CONFIGURATION -> false;
                    case AUTHENTICATION -> onAuthentication;
                    case RATE_LIMITED, UNAVAILABLE -> true;
                    case UNCERTAIN -> onUncertain;
                };
        if (!failOver) {
            return Step.STOP;
        }
        return switch (next) {
            case NONE -> Step.STOP;
            case CANNOT_CARRY -> Step.SKIP_NEXT;
            case CAN_CARRY -> Step.FAIL_OVER;
        };
    }

    private boolean worthWaiting(Optional<Duration> retryAfter) {
        return retryAfter.isPresent() && retryAfter.get().compareTo(rateLimitMaxWait) <= 0;
    }
}
