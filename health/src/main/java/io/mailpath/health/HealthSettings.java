package io.mailpath.health;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.time.Duration;
import java.util.Optional;
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

    /** {@value #FAILURE_WINDOW}. */
    public static final ConfigKey<Duration> FAILURE_WINDOW_KEY = ConfigKey.millis(
                    FAILURE_WINDOW,
                    DEFAULT_FAILURE_WINDOW_MS,
                    "How long a failure that means a path cannot send counts against readiness; must be positive, so"
                            + " that a DOWN readiness ends by itself.")
            .documentedDefault("the primary's circuit breaker delay (`io.mailpath.routing.PrimaryPath/send/"
                    + "CircuitBreaker/delay`, 30000 unless configured); " + DEFAULT_FAILURE_WINDOW_MS
                    + " when that breaker is switched off");

    /** The health keys, for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Health",
            "The MicroProfile Health readiness check is DOWN only when no path can send.",
            FAILURE_WINDOW_KEY);

    private HealthSettings() {}

    /**
     * The failure window: the configured key, else the circuit breaker's delay, else the default.
     *
     * @throws MailConfigurationException naming the key when it is not a positive number
     */
    static Duration failureWindow(Config config, Optional<Duration> circuitBreakerDelay) {
        return ConfigReader.of(config)
                .optional(FAILURE_WINDOW_KEY)
                .orElseGet(() -> defaultFailureWindow(circuitBreakerDelay));
    }

    /** The window when the key is not set: the circuit breaker's delay, or the default when it has none. */
    static Duration defaultFailureWindow(Optional<Duration> circuitBreakerDelay) {
        return circuitBreakerDelay
                .filter(d -> !d.isNegative() && !d.isZero())
                .orElse(Duration.ofMillis(DEFAULT_FAILURE_WINDOW_MS));
    }
}
