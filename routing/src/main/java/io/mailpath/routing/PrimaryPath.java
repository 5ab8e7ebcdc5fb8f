package io.mailpath.routing;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The first transport in {@code mailpath.transports}, guarded by MicroProfile Fault Tolerance. Every value below is
 * a default that the standard keys override, for example {@code io.mailpath.routing.PrimaryPath/send/Retry/maxRetries=0}.
 *
 * <ul>
 *   <li>{@code @Retry}: only an unavailable transport is retried (with a delay and jitter); rejected,
 *       authentication, rate-limited and uncertain failures are not.
 *   <li>{@code @Timeout}: the most one try may take; a timed-out try counts as uncertain (it may have been sent).
 *   <li>{@code @CircuitBreaker}: after repeated unavailable or uncertain outcomes (each retry counts) the primary is
 *       skipped for a while and mail goes straight to the next transport; rejected, authentication and rate-limited
 *       answers count as the primary working.
 *   <li>{@code @Fallback}: {@link FailoverHandler} sends through the next transports, by the kind of failure; a
 *       rejected message never falls back.
 * </ul>
 */
@ApplicationScoped
public class PrimaryPath {
    /**
     * The most one try may take by default: {@value} ms, above what every Mailpath transport's own timeouts allow one
     * request (SMTP: pool wait, connect, read and write, 140 s), so that the transport says how a try ended.
     */
    static final long TIMEOUT_MS = 150_000;

    /** How long the circuit stays open by default before a trial call: {@value} ms. */
    static final long CIRCUIT_DELAY_MS = 30_000;

    @Inject
    MailpathExtension mailpath;

    @Inject
    RoutingState state;

    @Retry(
            maxRetries = 2,
            delay = 200,
            jitter = 100,
            maxDuration = 60_000,
            retryOn = MailUnavailableException.class,
            abortOn = {
                MailRejectedException.class,
                MailAuthenticationException.class,
                MailRateLimitedException.class,
                MailUncertainException.class,
                MailConfigurationException.class
            })
    @Timeout(TIMEOUT_MS)
    // Retries count as calls. A 20-call window opening at 75% failures ignores independent noise (a fifth of calls
    // failing trips it with odds of about 1 in 10 million a window) yet opens within 7 sends of a dead primary.
    @CircuitBreaker(
            requestVolumeThreshold = 20,
            failureRatio = 0.75,
            delay = CIRCUIT_DELAY_MS,
            successThreshold = 2,
            skipOn = {
                MailRejectedException.class,
                MailAuthenticationException.class,
                MailRateLimitedException.class,
                MailConfigurationException.class
            })
    @Fallback(
            value = FailoverHandler.class,
            skipOn = {MailRejectedException.class, MailConfigurationException.class})
    public SendReceipt send(SendContext context) {
        String name = context.primary();
        // Reached only when the circuit breaker lets the call through (closed, or half-open for a trial).
        state.circuitPassed(name);
        return context.attempt(name, () -> mailpath.registry().get(name).send(context.mail()));
    }
}
