package io.mailpath.health.canary;

import io.mailpath.Address;
import io.mailpath.InvalidMailException;
import io.mailpath.MailConfigurationException;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The canary's keys. The canary is off unless {@value #TO} is set; then {@value #FROM} is required, and every value
 * is checked when the application is deployed. Each named stream reads them through its overlay
 * ({@code mailpath.stream.<name>.canary.*}, else the shared key), and so has the shared canary unless it sets its own.
 *
 * @param to the seed address each canary is sent to
 * @param from its sender
 * @param interval how often a canary goes through each path
 * @param window how long its delivery event may take before it counts as missed
 * @param paths the transports it goes through, each alone; empty: those of {@code mailpath.transports} (a named
 *     stream's: its own {@code mailpath.stream.<name>.transports})
 */
public record CanarySettings(Address to, Address from, Duration interval, Duration window, List<String> paths) {
    /** The seed address: a mailbox that accepts the canaries. Unset: no canary. */
    public static final String TO = ConfigKey.PREFIX + "canary.to";

    /** The canaries' sender, on a domain the transports may send for; required with {@value #TO}. */
    public static final String FROM = ConfigKey.PREFIX + "canary.from";

    /** Milliseconds between two canaries through one path; {@value #DEFAULT_INTERVAL_MS} by default. */
    public static final String INTERVAL = ConfigKey.PREFIX + "canary.interval-ms";

    /**
     * Milliseconds a canary's delivery event may take before the canary is missed; {@value #DEFAULT_WINDOW_MS} by
     * default.
     */
    public static final String WINDOW = ConfigKey.PREFIX + "canary.delivery-window-ms";

    /** The transports to send canaries through, comma-separated; by default those of {@code mailpath.transports}. */
    public static final String PATHS = ConfigKey.PREFIX + "canary.paths";

    static final long DEFAULT_INTERVAL_MS = 300_000;

    static final long DEFAULT_WINDOW_MS = 600_000;

    /** {@value #TO}. */
    public static final ConfigKey<String> TO_KEY = ConfigKey.string(
                    TO, "The seed address the canaries go to: a mailbox that accepts them.")
            .documentedDefault("— (no canary)");
    /** {@value #FROM}. */
    public static final ConfigKey<String> FROM_KEY = ConfigKey.string(
                    FROM, "The canaries' sender, on a domain the transports may send for.")
            .documentedDefault("— (required with `to`)");
    /** {@value #INTERVAL}. */
    public static final ConfigKey<Duration> INTERVAL_KEY = ConfigKey.millis(
            INTERVAL,
            DEFAULT_INTERVAL_MS,
            "Time between two canaries through one path; the first goes out one interval after start.");
    /** {@value #WINDOW}. */
    public static final ConfigKey<Duration> WINDOW_KEY = ConfigKey.millis(
            WINDOW, DEFAULT_WINDOW_MS, "How long a canary's delivery event may take before the canary is missed.");
    /** {@value #PATHS}. */
    public static final ConfigKey<List<String>> PATHS_KEY = ConfigKey.list(
                    PATHS, "The transports to send canaries through, comma-separated, each alone.")
            .documentedDefault("the transports of `mailpath.transports`");

    /** The canary's keys, for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Canary",
            "When configured, a canary message goes through each path and its delivery webhook is expected.",
            TO_KEY,
            FROM_KEY,
            INTERVAL_KEY,
            WINDOW_KEY,
            PATHS_KEY);

    public CanarySettings {
        paths = List.copyOf(paths);
    }

    /**
     * The configured canary, or empty when {@value #TO} is not set.
     *
     * @throws MailConfigurationException naming the key that is missing or invalid
     */
    public static Optional<CanarySettings> read(Config config) {
        return read(ConfigReader.of(config));
    }

    /**
     * The canary configured through this reader: a named stream's ({@link ConfigReader#inStream}) reads
     * {@code mailpath.stream.<name>.canary.*} first, else the shared keys; empty when {@value #TO} is set for neither.
     *
     * @throws MailConfigurationException naming the key that is missing or invalid
     */
    public static Optional<CanarySettings> read(ConfigReader r) {
        Optional<String> to = r.optional(TO_KEY);
        if (to.isEmpty()) {
            return Optional.empty();
        }
        String from = r.optional(FROM_KEY).orElseThrow(() -> FROM_KEY.missing("with " + TO));
        return Optional.of(new CanarySettings(
                address(TO_KEY, to.get()),
                address(FROM_KEY, from),
                r.get(INTERVAL_KEY),
                r.get(WINDOW_KEY),
                r.optional(PATHS_KEY).orElse(List.of())));
    }

    private static Address address(ConfigKey<String> key, String value) {
        try {
            return Address.of(value);
        } catch (InvalidMailException e) {
            throw key.invalid("an email address (" + e.getMessage() + ")", value);
        }
    }
}
