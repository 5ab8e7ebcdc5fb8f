package io.mailpath.routing;

import io.mailpath.MailStream;
import io.mailpath.spi.DirectTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the router knows beyond each send's events, for health checks and telemetry: the configured order of
 * transports and whether the primary's circuit breaker is refusing calls. Reading it costs no network call.
 *
 * <p>MicroProfile Fault Tolerance has no API for a circuit breaker's state, so the router records the breaker's
 * latest verdict per transport: refused when a send met its open circuit, passed when the breaker let a call reach the
 * transport (closed, or half-open for a trial).
 */
@ApplicationScoped
public class RoutingState {
    @Inject
    MailpathExtension mailpath;

    private final Set<String> refusing = ConcurrentHashMap.newKeySet();

    /**
     * The transports of {@code mailpath.transports}, in the order the router tries them.
     *
     * @throws io.mailpath.MailConfigurationException when the key names an unknown transport or none
     */
    public List<String> order() {
        return mailpath.routing().order();
    }

    /**
     * Whether the last call meant for this transport was refused by an open circuit breaker, with no call let through
     * since. A breaker lets a trial call through once its {@linkplain #circuitBreakerDelay() delay} has passed, so this
     * says the circuit was open at the last refusal, not that it still is.
     */
    public boolean circuitRefusing(String transport) {
        return circuitRefusing(MailStream.DEFAULT, transport);
    }

    /** {@link #circuitRefusing(String)} for a stream's transport: each stream has its own circuit breaker. */
    public boolean circuitRefusing(String stream, String transport) {
        return refusing.contains(key(stream, transport));
    }

    /** The names of every stream, the unnamed one ({@value MailStream#DEFAULT}) first. */
    public Set<String> streams() {
        return mailpath.streamNames();
    }

    /**
     * A stream's transports, in the order it tries them.
     *
     * @throws io.mailpath.MailConfigurationException when there is no such stream, or its order is wrong
     */
    public List<String> order(String stream) {
        return mailpath.stream(stream).routing().order();
    }

    /**
     * How long the primary's circuit breaker stays open before a trial call, as configured through MicroProfile Fault
     * Tolerance's keys; empty when the breaker is switched off.
     */
    public Optional<Duration> circuitBreakerDelay() {
        return mailpath.routing().circuitBreakerDelay();
    }

    /**
     * {@link #circuitBreakerDelay()} of a stream's primary: a named stream's circuit reads its keys through the
     * stream's overlay ({@code mailpath.stream.<name>.}).
     *
     * @throws io.mailpath.MailConfigurationException when there is no such stream
     */
    public Optional<Duration> circuitBreakerDelay(String stream) {
        return mailpath.stream(stream).routing().circuitBreakerDelay();
    }

    /**
     * A stream's own transport of that name (built from the stream's keys, so its own API key and relay login),
     * built on first use: the very instance the stream's routed sends go through.
     *
     * @throws io.mailpath.MailConfigurationException when there is no such stream or transport, or its configuration
     *     is wrong
     */
    public DirectTransport transport(String stream, String transport) {
        return mailpath.stream(stream).registry().get(transport);
    }

    void circuitRefused(String stream, String transport) {
        refusing.add(key(stream, transport));
    }

    void circuitPassed(String stream, String transport) {
        // Every primary send comes here: a read of an empty set is all it costs while no circuit is open.
        if (!refusing.isEmpty()) {
            refusing.remove(key(stream, transport));
        }
    }

    private static String key(String stream, String transport) {
        return stream + "/" + transport;
    }
}
