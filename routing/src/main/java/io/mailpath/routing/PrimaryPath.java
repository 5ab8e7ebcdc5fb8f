package io.mailpath.routing;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.SendReceipt;
import io.mailpath.routing.FailoverPolicy.NextPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * The first transport in {@code mailpath.transports}, guarded by MicroProfile Fault Tolerance, and the failover to the
 * next ones when it fails. Every value below is a default that the standard keys override, for example
 * {@code io.mailpath.routing.PrimaryPath/send/Retry/maxRetries=0}.
 *
 * <ul>
 *   <li>{@code @Retry}: only an unavailable transport is retried (with a delay and jitter); rejected,
 *       authentication, rate-limited and uncertain failures are not.
 *   <li>{@code @Timeout}: the most one try may take; a timed-out try counts as uncertain (it may have been sent).
 *   <li>{@code @CircuitBreaker}: after repeated unavailable or uncertain outcomes (each retry counts) the primary is
 *       skipped for a while and mail goes straight to the next transport; rejected, authentication and rate-limited
 *       answers count as the primary working.
 *   <li>{@code @Fallback}: {@link #failOver} sends through the next transports as {@link FailoverPolicy} decides; a
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
    RoutingState state;

    @Inject
    SecondaryPath secondary;

    /** This bean through its proxy: trying the primary again goes through the guard below, as the first call did. */
    @Inject
    PrimaryPath guarded;

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
    // Only Mailpath's failures and Fault Tolerance's own (timeout, open circuit) fail over; anything else (a bug, an
    // Error) reaches the caller as it is.
    @Fallback(
            fallbackMethod = "failOver",
            applyOn = {MailException.class, FaultToleranceException.class},
            skipOn = {MailRejectedException.class, MailConfigurationException.class})
    public SendReceipt send(SendContext send) {
        String name = send.primary();
        // Reached only when the circuit breaker lets the call through (closed, or half-open for a trial).
        state.circuitPassed(send.stream().name(), name);
        return send.attempt(name, () -> send.stream().registry().get(name).send(send.mail()));
    }

    /**
     * A named stream's primary: {@link #send}'s retry, timeout and fallback, with the stream's own circuit breaker
     * ({@link StreamCircuit}) in place of the annotation, whose one circuit every stream would share. Its Fault
     * Tolerance keys are this method's ({@code PrimaryPath/sendInStream/Retry/maxRetries}) or the class's.
     */
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
    @Fallback(
            fallbackMethod = "failOver",
            applyOn = {MailException.class, FaultToleranceException.class},
            skipOn = {MailRejectedException.class, MailConfigurationException.class})
    public SendReceipt sendInStream(SendContext send) {
        String name = send.primary();
        Optional<StreamCircuit> circuit = send.stream().circuit(name);
        long pass = circuit.isPresent() ? circuit.get().pass() : StreamCircuit.REFUSED;
        if (circuit.isPresent() && pass == StreamCircuit.REFUSED) {
            throw new CircuitBreakerOpenException(send.stream() + ": circuit breaker of '" + name + "' open");
        }
        state.circuitPassed(send.stream().name(), name);
        boolean failed = true;
        try {
            SendReceipt receipt =
                    send.attempt(name, () -> send.stream().registry().get(name).send(send.mail()));
            failed = false;
            return receipt;
        } catch (MailRejectedException
                | MailAuthenticationException
                | MailRateLimitedException
                | MailConfigurationException e) {
            // @CircuitBreaker's skipOn above: these answers count as the transport working.
            failed = false;
            throw e;
        } finally {
            if (circuit.isPresent()) {
                circuit.get().record(pass, failed);
            }
        }
    }

    /**
     * The fallback of {@link #send}: Fault Tolerance calls it with the same send once the guarded call failed (its
     * retries spent, its timeout fired, or its circuit open). {@link FailoverPolicy} decides each step: try the
     * primary again after its {@code Retry-After}, skip a path that cannot carry the message, fail over to the next
     * path, or stop with one exception of the final kind.
     */
    SendReceipt failOver(SendContext send) {
        SendReceipt late = send.delivered();
        if (late != null) {
            // The primary delivered, and Fault Tolerance's timeout fired meanwhile: a late success is a success.
            return late;
        }
        String primary = send.primary();
        if (!send.reachedTransport()) {
            // No try reached the transport: Fault Tolerance refused the call itself, the circuit is open.
            state.circuitRefused(send.stream().name(), primary);
        }
        MailException failure = send.failureOfCall(primary, PrimaryPath.class);
        FailoverPolicy policy = send.stream().routing().failoverPolicy();
        boolean primaryMayRetry = send.primaryMayRetry();
        List<String> order = send.order();
        int next = 1;
        while (true) {
            String path = next < order.size() ? order.get(next) : null;
            Optional<String> unfit = path == null
                    ? Optional.empty()
                    : MessageFit.whyNot(send.mail(), send.stream().registry().get(path));
            NextPath nextPath =
                    path == null ? NextPath.NONE : unfit.isPresent() ? NextPath.CANNOT_CARRY : NextPath.CAN_CARRY;
            switch (policy.next(failure.kind(), failure.retryAfter(), primaryMayRetry, nextPath)) {
                case RETRY_PRIMARY -> {
                    if (send.waitForPrimary(failure.retryAfter().orElseThrow())) {
                        // Under the primary's guard again; when it fails, its fallback (this method) goes on from
                        // there.
                        return send.stream().isDefault() ? guarded.send(send) : guarded.sendInStream(send);
                    }
                    primaryMayRetry = false; // interrupted while waiting (the application stops): fail over now
                }
                case SKIP_NEXT -> {
                    // This path cannot carry the message, which says nothing about the message: the failure that
                    // decides stays the one of the path really tried.
                    send.skipped(path, unfit.orElseThrow());
                    next++;
                }
                case FAIL_OVER -> {
                    try {
                        return secondary.send(path, send);
                    } catch (MailException | FaultToleranceException e) {
                        late = send.delivered();
                        if (late != null) {
                            // Delivered just as this path's Fault Tolerance timeout fired.
                            return late;
                        }
                        failure = send.failureOfCall(path, SecondaryPath.class);
                        primaryMayRetry = false;
                        next++;
                    }
                }
                case STOP -> throw send.failure();
            }
        }
    }
}
