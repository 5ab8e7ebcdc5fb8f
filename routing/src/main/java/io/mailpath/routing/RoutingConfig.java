package io.mailpath.routing;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/** The routing keys: which transports, in which order, and when to fail over. Read on every send. */
public final class RoutingConfig {
    /**
     * The transports to try, in order; default: every transport on the class path with a priority of 0 or more,
     * highest first (a negative priority, such as the test kit's in-memory transports, is used only when named).
     */
    public static final String TRANSPORTS = "mailpath.transports";
    /** Whether an authentication failure fails over to the next transport: {@value #DEFAULT_ON_AUTHENTICATION}. */
    public static final String ON_AUTHENTICATION = "mailpath.failover.on-authentication";
    /** Whether an uncertain outcome fails over (marking a possible duplicate): {@value #DEFAULT_ON_UNCERTAIN}. */
    public static final String ON_UNCERTAIN = "mailpath.failover.on-uncertain";
    /** The longest {@code Retry-After} waited for before trying the primary again: {@value #DEFAULT_MAX_WAIT_MS} ms. */
    public static final String RATE_LIMIT_MAX_WAIT = "mailpath.failover.rate-limit-max-wait-ms";

    static final boolean DEFAULT_ON_AUTHENTICATION = false;
    static final boolean DEFAULT_ON_UNCERTAIN = true;
    static final long DEFAULT_MAX_WAIT_MS = 5_000;

    private final Config config;

    /** The transports on the class path, found once: they do not change while the application runs. */
    private volatile List<TransportProvider> available;

    RoutingConfig(Config config) {
        this.config = config;
    }

    /**
     * The transports to try, in order.
     *
     * @throws MailConfigurationException naming the key when a name is unknown or the list is empty
     */
    public List<String> order() {
        List<TransportProvider> available = available();
        Optional<String[]> configured = read(TRANSPORTS, String[].class);
        if (configured.isEmpty()) {
            List<String> byDefault = available.stream()
                    .filter(p -> p.priority() >= 0)
                    .map(TransportProvider::name)
                    .toList();
            if (byDefault.isEmpty()) {
                throw new MailConfigurationException(Transports.noneFound());
            }
            return byDefault;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String n : configured.get()) {
            String name = n.trim();
            if (!name.isEmpty() && !names.add(name)) {
                throw new MailConfigurationException(TRANSPORTS + " lists '" + name + "' twice");
            }
        }
        if (names.isEmpty()) {
            throw new MailConfigurationException(TRANSPORTS + " is empty");
        }
        for (String name : names) {
            if (available.stream().noneMatch(p -> p.name().equals(name))) {
                throw new MailConfigurationException(TRANSPORTS + " names '" + name + "': " + Transports.missing(name));
            }
        }
        return new ArrayList<>(names);
    }

    private List<TransportProvider> available() {
        List<TransportProvider> providers = available;
        if (providers == null) {
            providers = Transports.providers();
            available = providers;
        }
        return providers;
    }

    /** The failover decision, from the three {@code mailpath.failover.*} keys as they are now. */
    FailoverPolicy failoverPolicy() {
        return new FailoverPolicy(failoverOnAuthentication(), failoverOnUncertain(), rateLimitMaxWait());
    }

    public boolean failoverOnAuthentication() {
        return read(ON_AUTHENTICATION, Boolean.class).orElse(DEFAULT_ON_AUTHENTICATION);
    }

    public boolean failoverOnUncertain() {
        return read(ON_UNCERTAIN, Boolean.class).orElse(DEFAULT_ON_UNCERTAIN);
    }

    public Duration rateLimitMaxWait() {
        long ms = read(RATE_LIMIT_MAX_WAIT, Long.class).orElse(DEFAULT_MAX_WAIT_MS);
        if (ms < 0) {
            throw new MailConfigurationException(RATE_LIMIT_MAX_WAIT + " must not be negative");
        }
        return Duration.ofMillis(ms);
    }

    /**
     * The Fault Tolerance timeout of a guarded path as MicroProfile Fault Tolerance reads it: the method's key, then the
     * class's, then the global one, else the annotation's value; empty when timeouts are switched off.
     */
    Optional<Duration> faultToleranceTimeout(Class<?> path, long annotatedMillis) {
        return faultToleranceDuration(path, "Timeout", "value", "unit", annotatedMillis);
    }

    /**
     * How long the primary's circuit breaker stays open before it lets a trial call through, as MicroProfile Fault
     * Tolerance reads it from {@code io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay} and
     * {@code delayUnit} (or the class's or the global keys); empty when the circuit breaker is switched off.
     */
    public Optional<Duration> circuitBreakerDelay() {
        return faultToleranceDuration(
                PrimaryPath.class, "CircuitBreaker", "delay", "delayUnit", PrimaryPath.CIRCUIT_DELAY_MS);
    }

    /** One duration of one Fault Tolerance annotation on a guarded path's {@code send}, by MP FT's order of keys. */
    private Optional<Duration> faultToleranceDuration(
            Class<?> path, String annotation, String valueKey, String unitKey, long annotatedMillis) {
        String method = path.getName() + "/send/" + annotation + "/";
        String type = path.getName() + "/" + annotation + "/";
        String global = annotation + "/";
        boolean nonFallback =
                read("MP_Fault_Tolerance_NonFallback_Enabled", Boolean.class).orElse(true);
        boolean enabled = first(Boolean.class, method + "enabled", type + "enabled", global + "enabled")
                .orElse(nonFallback);
        if (!enabled) {
            return Optional.empty();
        }
        long value = first(Long.class, method + valueKey, type + valueKey, global + valueKey)
                .orElse(annotatedMillis);
        ChronoUnit unit = first(String.class, method + unitKey, type + unitKey, global + unitKey)
                .map(u -> ChronoUnit.valueOf(u.trim().toUpperCase(java.util.Locale.ROOT)))
                .orElse(ChronoUnit.MILLIS);
        return Optional.of(Duration.of(value, unit));
    }

    private <T> Optional<T> first(Class<T> type, String... keys) {
        for (String key : keys) {
            Optional<T> value = read(key, type);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private <T> Optional<T> read(String key, Class<T> type) {
        try {
            return config.getOptionalValue(key, type);
        } catch (IllegalArgumentException e) {
            throw new MailConfigurationException(key + " is not a valid " + type.getSimpleName());
        }
    }
}
