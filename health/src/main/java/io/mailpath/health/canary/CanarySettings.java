package io.mailpath.health.canary;

import io.mailpath.Address;
import io.mailpath.InvalidMailException;
import io.mailpath.MailConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The canary's keys. The canary is off unless {@value #TO} is set; then {@value #FROM} is required, and every value
 * is checked when the application is deployed.
 *
 * @param to the seed address each canary is sent to
 * @param from its sender
 * @param interval how often a canary goes through each path
 * @param window how long its delivery event may take before it counts as missed
 * @param paths the transports it goes through, each alone; empty: those of {@code mailpath.transports}
 */
public record CanarySettings(Address to, Address from, Duration interval, Duration window, List<String> paths) {
    /** The seed address: a mailbox that accepts the canaries. Unset: no canary. */
    public static final String TO = "mailpath.canary.to";

    /** The canaries' sender, on a domain the transports may send for; required with {@value #TO}. */
    public static final String FROM = "mailpath.canary.from";

    /** Milliseconds between two canaries through one path; {@value #DEFAULT_INTERVAL_MS} by default. */
    public static final String INTERVAL = "mailpath.canary.interval-ms";

    /**
     * Milliseconds a canary's delivery event may take before the canary is missed; {@value #DEFAULT_WINDOW_MS} by
     * default.
     */
    public static final String WINDOW = "mailpath.canary.delivery-window-ms";

    /** The transports to send canaries through, comma-separated; by default those of {@code mailpath.transports}. */
    public static final String PATHS = "mailpath.canary.paths";

    static final long DEFAULT_INTERVAL_MS = 300_000;

    static final long DEFAULT_WINDOW_MS = 600_000;

    public CanarySettings {
        paths = List.copyOf(paths);
    }

    /**
     * The configured canary, or empty when {@value #TO} is not set.
     *
     * @throws MailConfigurationException naming the key that is missing or invalid
     */
    public static Optional<CanarySettings> read(Config config) {
        Optional<String> to = text(config, TO);
        if (to.isEmpty()) {
            return Optional.empty();
        }
        String from =
                text(config, FROM).orElseThrow(() -> new MailConfigurationException(FROM + " is required with " + TO));
        return Optional.of(new CanarySettings(
                address(TO, to.get()),
                address(FROM, from),
                positiveMillis(config, INTERVAL, DEFAULT_INTERVAL_MS),
                positiveMillis(config, WINDOW, DEFAULT_WINDOW_MS),
                paths(config)));
    }

    private static Optional<String> text(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static Address address(String key, String value) {
        try {
            return Address.of(value);
        } catch (InvalidMailException e) {
            throw new MailConfigurationException(key + " is not a valid address: " + e.getMessage());
        }
    }

    private static Duration positiveMillis(Config config, String key, long fallback) {
        Optional<String> value = text(config, key);
        if (value.isEmpty()) {
            return Duration.ofMillis(fallback);
        }
        long millis;
        try {
            millis = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new MailConfigurationException(key + " is not a number of milliseconds: '" + value.get() + "'");
        }
        if (millis <= 0) {
            throw new MailConfigurationException(key + " must be positive, not " + millis);
        }
        return Duration.ofMillis(millis);
    }

    private static List<String> paths(Config config) {
        List<String> paths = new ArrayList<>();
        for (String name : text(config, PATHS).orElse("").split(",")) {
            String path = name.strip();
            if (path.isEmpty()) {
                continue;
            }
            if (paths.contains(path)) {
                throw new MailConfigurationException(PATHS + " lists '" + path + "' twice");
            }
            paths.add(path);
        }
        return paths;
    }
}
