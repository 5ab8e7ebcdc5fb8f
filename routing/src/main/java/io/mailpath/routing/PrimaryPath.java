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
 *   <li>{@code @CircuitBreaker}: after repeated unavailability or timeouts the primary is skipped for a while and
 *       mail goes straight to the next transport.
 *   <li>{@code @Fallback}: {@link FailoverHandler} sends through the next transports, by the kind of failure; a
 *       rejected message never falls back.
 * </ul>
 */
@ApplicationScoped
public class PrimaryPath {
    @Inject
    MailpathExtension mailpath;

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
    @Timeout(45_000)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 30_000,
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
        return context.attempt(name, () -> mailpath.registry().get(name).send(context.mail()));
    }
}
