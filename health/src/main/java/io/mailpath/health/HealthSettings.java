package io.mailpath.health;

import io.mailpath.MailConfigurationException;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/** The health keys, read on every probe (MicroProfile Config may change them while the application runs). */
public final class HealthSettings {
    /**
     * How long a failure that means a transport cannot send keeps counting against readiness, in milliseconds; by
     * default the primary's circuit breaker delay ({@code io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay},
     * 30 s unless configured), or {@value #DEFAULT_FAILURE_WINDOW_MS} ms when that breaker is switched off. Must be
     * positive: a DOWN readiness has to end by itself, since it may stop the very sends that would show recovery.
     */
    public static final String FAILURE_WINDOW = ConfigKey.PREFIX + "health.failure-window-ms";

    static final long DEFAULT_FAILURE_WINDOW_MS = 30_000;

    /**
     * The named streams that must each have a path that can send for readiness to be UP, comma-separated; by default
     * none: readiness is DOWN only when no stream can send at all ({@link MailpathReadinessCheck}).
     */
    public static final String REQUIRED_STREAMS = ConfigKey.PREFIX + "health.required-streams";

    /** {@value #FAILURE_WINDOW}. */
    public static final ConfigKey<Duration> FAILURE_WINDOW_KEY = ConfigKey.millis(
                    FAILURE_WINDOW,
                    DEFAULT_FAILURE_WINDOW_MS,
                    "How long a failure that means a path cannot send counts against readiness; must be positive, so"
                            + " that a DOWN readiness ends by itself.")
            .documentedDefault("the primary's circuit breaker delay (`io.mailpath.routing.PrimaryPath/send/"
                    + "CircuitBreaker/delay`, 30000 unless configured); " + DEFAULT_FAILURE_WINDOW_MS
                    + " when that breaker is switched off");

    /** {@value #REQUIRED_STREAMS}. */
    public static final ConfigKey<List<String>> REQUIRED_STREAMS_KEY = ConfigKey.list(
                    REQUIRED_STREAMS,
                    "Named streams (of `mailpath.streams`) that must each have a path that can send for readiness to"
                            + " be UP, comma-separated; the others' outages are reported only.")
            .documentedDefault("— (DOWN only when no stream can send)");

    /** The health keys, for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Health",
            "The MicroProfile Health readiness check is DOWN only when no path can send.",
            FAILURE_WINDOW_KEY,
            REQUIRED_STREAMS_KEY);

    private HealthSettings() {}

    /**
     * The failure window: the configured key, else the circuit breaker's delay, else the default.
     *
     * @throws MailConfigurationException naming the key when it is not a positive number
     */
    static Duration failureWindow(Config config, Optional<Duration> circuitBreakerDelay) {
        return failureWindow(ConfigReader.of(config), circuitBreakerDelay);
    }

    /**
     * {@link #failureWindow(Config, Optional)} read through a stream's overlay ({@link ConfigReader#inStream}): a
     * named stream's {@code mailpath.stream.<name>.health.failure-window-ms} first, else the shared key, else that
     * stream's circuit breaker delay.
     */
    static Duration failureWindow(ConfigReader reader, Optional<Duration> circuitBreakerDelay) {
        return reader.optional(FAILURE_WINDOW_KEY).orElseGet(() -> defaultFailureWindow(circuitBreakerDelay));
    }

    /**
     * The named streams that must each be able to send, as configured.
     *
     * @throws MailConfigurationException naming the key when it names a stream that is not in {@code mailpath.streams}
     */
    static Set<String> requiredStreams(Config config) {
        ConfigReader reader = ConfigReader.of(config);
        List<String> required = reader.optional(REQUIRED_STREAMS_KEY).orElse(List.of());
        if (required.isEmpty()) {
            return Set.of();
        }
        List<String> streams = reader.optional(RoutingConfig.STREAMS_KEY).orElse(List.of());
        for (String name : required) {
            if (!streams.contains(name)) {
                throw REQUIRED_STREAMS_KEY.invalid(
                        "streams listed in " + RoutingConfig.STREAMS + " (" + String.join(",", streams) + ")",
                        String.join(",", required));
            }
        }
        return new LinkedHashSet<>(required);
    }

    /** The window when the key is not set: the circuit breaker's delay, or the default when it has none. */
    static Duration defaultFailureWindow(Optional<Duration> circuitBreakerDelay) {
        return circuitBreakerDelay
                .filter(d -> !d.isNegative() && !d.isZero())
                .orElse(Duration.ofMillis(DEFAULT_FAILURE_WINDOW_MS));
    }
}
