package io.mailpath.health;

import io.mailpath.MailConfigurationException;
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
    public static final String FAILURE_WINDOW = "mailpath.health.failure-window-ms";

    static final long DEFAULT_FAILURE_WINDOW_MS = 30_000;

    private HealthSettings() {}

    /**
     * The failure window: the configured key, else the circuit breaker's delay, else the default.
     *
     * @throws MailConfigurationException naming the key when it is not a positive number
     */
    static Duration failureWindow(Config config, Optional<Duration> circuitBreakerDelay) {
        Optional<Long> configured;
        try {
            configured = config.getOptionalValue(FAILURE_WINDOW, Long.class);
        } catch (IllegalArgumentException e) {
            throw new MailConfigurationException(FAILURE_WINDOW + " is not a number of milliseconds");
        }
        if (configured.isPresent()) {
            if (configured.get() <= 0) {
                throw new MailConfigurationException(FAILURE_WINDOW + " must be positive, not " + configured.get());
            }
            return Duration.ofMillis(configured.get());
        }
        return defaultFailureWindow(circuitBreakerDelay);
    }

    /** The window when the key is not set: the circuit breaker's delay, or the default when it has none. */
    static Duration defaultFailureWindow(Optional<Duration> circuitBreakerDelay) {
        return circuitBreakerDelay
                .filter(d -> !d.isNegative() && !d.isZero())
                .orElse(Duration.ofMillis(DEFAULT_FAILURE_WINDOW_MS));
    }
}
