package io.mailpath.health;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.TransportName;
import io.mailpath.routing.RoutingState;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.config.ConfigReader;
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
import java.util.Set;
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
 *
 * <p><b>Streams.</b> With {@code mailpath.streams}, each named stream's own transports are judged apart (its own
 * attempts, circuit breaker and failure window, {@code mailpath.stream.<name>.health.failure-window-ms}), and their
 * data is written under {@code stream.<name>.}: {@code stream.marketing.state}, {@code stream.marketing.transports},
 * {@code stream.marketing.api.state}, and so on, beside a {@code streams} entry listing the named streams. MicroProfile
 * Health's data is one flat map of text, numbers and flags, so a stream's data cannot nest; the {@code stream.} prefix
 * mirrors the stream's configuration keys and cannot be taken for an unnamed stream's transport. The unnamed stream's
 * data keeps its keys ({@code transports}, {@code api.state}, ...): an application without streams sees exactly what
 * it saw before.
 *
 * <p>The check is DOWN when no stream at all has a path that can send, or when a stream listed in
 * {@value HealthSettings#REQUIRED_STREAMS} has none. By default no stream is required: taking an instance out of
 * traffic helps none of its streams, and an outage of marketing's sub-account must not stop the instance serving the
 * requests that send password resets through another stream. An application whose instance is useless without one
 * stream (say, {@code transactional}) lists it.
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

    /**
     * Where a stream's data is written: nothing for the unnamed stream, {@code stream.<name>.} for a named one.
     *
     * @param stream the stream's name, {@value MailStream#DEFAULT} for the unnamed one
     */
    public static String streamPrefix(String stream) {
        return MailStream.DEFAULT.equals(stream) ? "" : "stream." + stream + ".";
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = new LinkedHashMap<>();
        Set<String> streams;
        List<String> order;
        try {
            streams = routing.streams();
            order = routing.order();
        } catch (MailConfigurationException e) {
            // The routed sends fail the same way: no path can send.
            data.put("error", e.getMessage());
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN, Optional.of(data));
        }
        Optional<Duration> circuitDelay = circuitDelay(MailStream.DEFAULT, data);
        Duration window = failureWindow(ConfigReader.of(config), circuitDelay, data, "");
        boolean anyStreamCanSend = describeStream(MailStream.DEFAULT, order, circuitDelay, window, data);
        boolean everyRequiredCanSend = true;

        List<String> named =
                streams.stream().filter(s -> !MailStream.DEFAULT.equals(s)).toList();
        if (!named.isEmpty()) {
            Set<String> required = requiredStreams(data);
            data.put("streams", String.join(",", named));
            for (String stream : named) {
                boolean canSend = describeNamedStream(stream, data);
                data.put(streamPrefix(stream) + "required", required.contains(stream));
                anyStreamCanSend |= canSend;
                everyRequiredCanSend &= canSend || !required.contains(stream);
            }
        }
        boolean ready = anyStreamCanSend && everyRequiredCanSend;
        return new HealthCheckResponse(
                NAME, ready ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }

    /** A named stream's data under its prefix; whether one of its paths can send. */
    private boolean describeNamedStream(String stream, Map<String, Object> data) {
        String prefix = streamPrefix(stream);
        List<String> order;
        try {
            order = routing.order(stream);
        } catch (MailConfigurationException e) {
            data.put(prefix + "error", e.getMessage());
            data.put(prefix + "state", "DOWN");
            return false;
        }
        Optional<Duration> circuitDelay = circuitDelay(stream, data);
        Duration window = failureWindow(ConfigReader.of(config).inStream(stream), circuitDelay, data, prefix);
        data.put(prefix + "state", "DOWN"); // keeps its place ahead of the transports; set below
        boolean canSend = describeStream(stream, order, circuitDelay, window, data);
        data.put(prefix + "state", canSend ? "UP" : "DOWN");
        return canSend;
    }

    /** Writes one stream's paths; whether one of them can send. */
    private boolean describeStream(
            String stream,
            List<String> order,
            Optional<Duration> circuitDelay,
            Duration window,
            Map<String, Object> data) {
        String prefix = streamPrefix(stream);
        Instant now = board.now();
        data.put(prefix + "transports", String.join(",", order));
        data.put(prefix + "failure-window-ms", window.toMillis());

        boolean anyCanSend = false;
        for (String name : order) {
            TransportStatus status = board.status(stream, name);
            Optional<TransportStatus.Cause> cannotSend = status.cannotSendBecause(now, window, circuitDelay);
            anyCanSend |= cannotSend.isEmpty();
            TransportData out = new TransportData(prefix, name, data);
            describe(status, cannotSend, status.circuit(now, circuitDelay), out);
            pool(stream, name).ifPresent(pool -> out.put("pool.open", pool.open())
                    .put("pool.idle", pool.idle())
                    .put("pool.in-use", pool.inUse())
                    .put("pool.waiting", pool.waiting())
                    .put("pool.max", pool.max()));
            for (Instance.Handle<ReadinessDetails> more : details.handles()) {
                try {
                    more.get().describe(stream, name, out);
                } catch (RuntimeException e) {
                    LOG.log(
                            Level.WARNING,
                            e,
                            () -> "Readiness details of '" + prefix + name + "' from "
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
        return anyCanSend;
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
    private static Duration failureWindow(
            ConfigReader reader, Optional<Duration> circuitDelay, Map<String, Object> data, String prefix) {
        try {
            return HealthSettings.failureWindow(reader, circuitDelay);
        } catch (MailConfigurationException e) {
            data.put(prefix + "error", e.getMessage());
            return HealthSettings.defaultFailureWindow(circuitDelay);
        }
    }

    /**
     * The stream's primary's circuit breaker delay; a Fault Tolerance key changed to a wrong value at run time is
     * reported, and the circuit then judged by the failures alone.
     */
    private Optional<Duration> circuitDelay(String stream, Map<String, Object> data) {
        try {
            return MailStream.DEFAULT.equals(stream)
                    ? routing.circuitBreakerDelay()
                    : routing.circuitBreakerDelay(stream);
        } catch (RuntimeException e) {
            data.put(streamPrefix(stream) + "error", e.getMessage());
            return Optional.empty();
        }
    }

    /** The required streams; a key changed to a wrong value at run time is reported, and no stream required. */
    private Set<String> requiredStreams(Map<String, Object> data) {
        try {
            return HealthSettings.requiredStreams(config);
        } catch (MailConfigurationException e) {
            data.put("error", e.getMessage());
            return Set.of();
        }
    }

    /** The transport's pool figures, when it keeps a pool; read from memory. */
    private Optional<ConnectionPoolState> pool(String stream, String name) {
        if (!MailStream.DEFAULT.equals(stream)) {
            try {
                return routing.transport(stream, name).connectionPool();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, e, () -> "No pool figures for transport '" + name + "' of stream " + stream);
                return Optional.empty();
            }
        }
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
