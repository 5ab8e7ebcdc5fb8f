package io.mailpath.health;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.TransportName;
import io.mailpath.routing.RoutingState;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Mailpath's readiness, named {@value #NAME}: DOWN only while no transport of {@code mailpath.transports} can send
 * ({@link TransportStatus#cannotSendBecause}), with each transport's state in the data, free of addresses and
 * secrets. Never a liveness check: a mail outage is no reason to restart the
 * application. A failure of a routed send counts for {@link HealthSettings#FAILURE_WINDOW} only, so that readiness
 * comes back by itself (a canary's counts until its next send, which needs no traffic):
 * a DOWN readiness takes the instance out of traffic, which may stop the very sends that would show recovery. A probe
 * reads what the sends left on the {@link TransportStatusBoard} and the connection pools' figures: no network call.
 */
@Readiness
@ApplicationScoped
public class MailpathReadinessCheck implements HealthCheck {
    /** The check's name in the health report. */
    public static final String NAME = "mailpath";

    private static final Logger LOG = Logger.getLogger(MailpathReadinessCheck.class.getName());

    @Inject
    TransportStatusBoard board;

    @Inject
    RoutingState routing;

    @Inject
    Config config;

    @Inject
    @Any
    Instance<DirectTransport> transports;

    @Inject
    @Any
    Instance<ReadinessDetails> details;

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> order;
        try {
            order = routing.order();
        } catch (MailConfigurationException e) {
            // The routed sends fail the same way: no path can send.
            data.put("error", e.getMessage());
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN, Optional.of(data));
        }
        Optional<Duration> circuitDelay = circuitDelay(data);
        Duration window = failureWindow(circuitDelay, data);
        Instant now = board.now();
        data.put("transports", String.join(",", order));
        data.put("failure-window-ms", window.toMillis());

        boolean anyCanSend = false;
        for (String name : order) {
            TransportStatus status = board.status(name);
            Optional<TransportStatus.Cause> cannotSend = status.cannotSendBecause(now, window, circuitDelay);
            anyCanSend |= cannotSend.isEmpty();
            TransportData out = new TransportData(name, data);
            describe(status, cannotSend, status.circuit(now, circuitDelay), out);
            pool(name).ifPresent(pool -> out.put("pool.open", pool.open())
                    .put("pool.idle", pool.idle())
                    .put("pool.in-use", pool.inUse())
                    .put("pool.waiting", pool.waiting())
                    .put("pool.max", pool.max()));
            for (Instance.Handle<ReadinessDetails> more : details.handles()) {
                try {
                    more.get().describe(name, out);
                } catch (RuntimeException e) {
                    LOG.log(
                            Level.WARNING,
                            e,
                            () -> "Readiness details of '" + name + "' from "
                                    + more.getBean().getBeanClass().getName() + " failed");
                } finally {
                    // A dependent contributor is destroyed after each probe rather than kept for ever; destroying a
                    // normal-scoped one would discard the state it reports (the canary's).
                    if (more.getBean().getScope() == Dependent.class) {
                        more.destroy();
                    }
                }
            }
        }
        return new HealthCheckResponse(
                NAME, anyCanSend ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }

    private static void describe(
            TransportStatus status,
            Optional<TransportStatus.Cause> cannotSend,
            TransportStatus.Circuit circuit,
            TransportData out) {
        out.put("state", cannotSend.isEmpty() ? "UP" : "DOWN")
                .put(
                        "state.cause",
                        cannotSend.map(MailpathReadinessCheck::dashed).orElse(null))
                .put("attempts", status.attempts())
                .put("failures", status.failures())
                .put("last-success", status.lastSuccess());
        TransportStatus.Failure failure = status.lastFailure();
        if (failure != null) {
            out.put("last-failure", failure.at())
                    .put("last-failure.kind", failure.kind().name())
                    .put("last-failure.reason", failure.reason())
                    .put("last-failure.recipients-refused", failure.recipientsRefused());
            if (failure.status() != MailException.NO_STATUS) {
                out.put("last-failure.status", failure.status());
            }
        }
        out.put("circuit", dashed(circuit));
        if (circuit == TransportStatus.Circuit.OPEN) {
            out.put("circuit.open-since", status.circuitOpenSince());
        }
    }

    /** A constant as the data writes it: {@code HALF_OPEN} as {@code half-open}. */
    private static String dashed(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The configured window; a key changed to a wrong value at run time is reported, and the default used. */
    private Duration failureWindow(Optional<Duration> circuitDelay, Map<String, Object> data) {
        try {
            return HealthSettings.failureWindow(config, circuitDelay);
        } catch (MailConfigurationException e) {
            data.put("error", e.getMessage());
            return HealthSettings.defaultFailureWindow(circuitDelay);
        }
    }

    /**
     * The primary's circuit breaker delay; a Fault Tolerance key changed to a wrong value at run time is reported, and
     * the circuit then judged by the failures alone.
     */
    private Optional<Duration> circuitDelay(Map<String, Object> data) {
        try {
            return routing.circuitBreakerDelay();
        } catch (RuntimeException e) {
            data.put("error", e.getMessage());
            return Optional.empty();
        }
    }

    /** The transport's pool figures, when it keeps a pool; read from memory. */
    private Optional<ConnectionPoolState> pool(String name) {
        Instance<DirectTransport> one = transports.select(TransportName.Literal.of(name));
        if (!one.isResolvable()) {
            return Optional.empty();
        }
        try (Instance.Handle<DirectTransport> handle = one.getHandle()) {
            return handle.get().connectionPool();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "No pool figures for transport '" + name + "'");
            return Optional.empty();
        }
    }
}
