package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.outbox.OutboxSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The outbox's MicroProfile Config keys. The outbox is off unless {@value #DATASOURCE} is set; then every other key is
 * optional, and every value is checked when the application is deployed.
 *
 * @param dataSource the JNDI name of the application's data source
 * @param settings the table, limits, lease, backoff, tries, ages and retention
 * @param relayEnabled whether this server runs a relay (off: it only enqueues, others drain)
 * @param relayInterval the pause between two drains of the relay
 * @param relayConcurrency the most drains this server's relay runs at once
 * @param purgeInterval the pause between two purges of delivered entries
 * @param stopWait how long the application's stop waits for the sends under way to finish
 */
public record OutboxConfiguration(
        String dataSource,
        OutboxSettings settings,
        boolean relayEnabled,
        Duration relayInterval,
        int relayConcurrency,
        Duration purgeInterval,
        Duration stopWait) {
    /** The prefix of every key. */
    public static final String PREFIX = "mailpath.outbox.";

    /** The JNDI name of the application's {@code DataSource} (e.g. {@code jdbc/app}). Unset: no outbox. */
    public static final String DATASOURCE = PREFIX + "datasource";

    /** The table's name, optionally {@code schema.table}; {@value OutboxSettings#DEFAULT_TABLE} by default. */
    public static final String TABLE = PREFIX + "table";

    /** Whether the table is created on start when absent; true by default. */
    public static final String CREATE_SCHEMA = PREFIX + "create-schema";

    /** The largest stored message in bytes; 32 MiB by default. */
    public static final String MAX_MESSAGE_BYTES = PREFIX + "max-message-bytes";

    /**
     * Milliseconds a relay owns an entry it claimed; {@value #DEFAULT_LEASE_MS} (15 minutes) by default. With a relay,
     * it must exceed the longest routed send ({@link RoutedSendBound}), checked at deployment.
     */
    public static final String LEASE = PREFIX + "lease-ms";

    /** Entries one drain claims at most; 20 by default. */
    public static final String BATCH_SIZE = PREFIX + "batch-size";

    /** Milliseconds waited after the first retryable failure, doubling after each; 30000 by default. */
    public static final String INITIAL_BACKOFF = PREFIX + "initial-backoff-ms";

    /** The longest wait between two tries, in milliseconds; 3600000 (1 hour) by default. */
    public static final String MAX_BACKOFF = PREFIX + "max-backoff-ms";

    /** Tries after which a failing entry is dead; 20 by default. */
    public static final String MAX_ATTEMPTS = PREFIX + "max-attempts";

    /** Milliseconds after which a failing entry is dead; 259200000 (3 days) by default. */
    public static final String MAX_AGE = PREFIX + "max-age-ms";

    /** Milliseconds delivered entries are kept; 604800000 (7 days) by default. */
    public static final String DELIVERED_RETENTION = PREFIX + "delivered-retention-ms";

    /** Whether this server runs a relay; true by default. */
    public static final String RELAY_ENABLED = PREFIX + "relay.enabled";

    /** Milliseconds between two drains of the relay; {@value #DEFAULT_RELAY_INTERVAL_MS} by default. */
    public static final String RELAY_INTERVAL = PREFIX + "relay.interval-ms";

    /** The most drains this server's relay runs at once; {@value #DEFAULT_RELAY_CONCURRENCY} by default. */
    public static final String RELAY_CONCURRENCY = PREFIX + "relay.concurrency";

    /** Milliseconds between two purges of delivered entries; {@value #DEFAULT_PURGE_INTERVAL_MS} by default. */
    public static final String PURGE_INTERVAL = PREFIX + "relay.purge-interval-ms";

    /**
     * Milliseconds the application's stop waits for the relay's sends under way; {@value #DEFAULT_STOP_WAIT_MS} by
     * default.
     */
    public static final String STOP_WAIT = PREFIX + "relay.stop-wait-ms";

    /**
     * The default lease in a container: 15 minutes, longer than the longest send through the routed transport under
     * the routing's default Fault Tolerance settings and two transports (about 10½ minutes, see
     * {@link RoutedSendBound}), with room for the clock skew between servers.
     */
    public static final long DEFAULT_LEASE_MS = 900_000; // OutboxSettings.DEFAULTS.lease(), as a constant for javadoc

    /**
     * The default wait for the sends under way when the application stops: 20 seconds, within the grace period most
     * servers and orchestrators give a stop (Kubernetes: 30 seconds). A send that takes longer keeps its entry leased.
     */
    public static final long DEFAULT_STOP_WAIT_MS = 20_000;

    /** The default pause between two drains: one second. */
    public static final long DEFAULT_RELAY_INTERVAL_MS = 1000;

    /**
     * The default number of drains at once: 4. A send to the API takes 100 to 300 ms, so one drain moves only a few
     * messages a second; four move four times as many, yet no more than the transports' defaults carry without
     * queueing (the SMTP pool's 4 connections, when the routed transport fails over), and they hold at most four of the
     * data source's connections, each only for a claim or an update, never during a send.
     */
    public static final int DEFAULT_RELAY_CONCURRENCY = 4;

    /** The default pause between two purges: one hour. */
    public static final long DEFAULT_PURGE_INTERVAL_MS = 3_600_000;

    /**
     * The configured outbox, or empty when {@value #DATASOURCE} is not set.
     *
     * @throws MailConfigurationException naming the key whose value is invalid
     */
    public static Optional<OutboxConfiguration> read(Config config) {
        Optional<String> dataSource = text(config, DATASOURCE);
        if (dataSource.isEmpty()) {
            return Optional.empty();
        }
        OutboxSettings d = OutboxSettings.DEFAULTS;
        OutboxSettings.Builder b = d.toBuilder();
        text(config, TABLE).ifPresent(b::table);
        b.createSchema(bool(config, CREATE_SCHEMA, d.createSchema()));
        b.maxMessageBytes(positive(config, MAX_MESSAGE_BYTES, d.maxMessageBytes()));
        b.lease(millis(config, LEASE, Duration.ofMillis(DEFAULT_LEASE_MS)));
        b.batchSize(positiveInt(config, BATCH_SIZE, d.batchSize()));
        b.backoff(millis(config, INITIAL_BACKOFF, d.initialBackoff()), millis(config, MAX_BACKOFF, d.maxBackoff()));
        b.maxAttempts(positiveInt(config, MAX_ATTEMPTS, d.maxAttempts()));
        b.maxAge(millis(config, MAX_AGE, d.maxAge()));
        b.deliveredRetention(millis(config, DELIVERED_RETENTION, d.deliveredRetention()));
        OutboxSettings settings;
        try {
            settings = b.build();
        } catch (IllegalArgumentException e) {
            // Each number was checked above: what is left is the table's name or the backoff's order.
            String key = e.getMessage().contains("table") ? TABLE : MAX_BACKOFF;
            throw new MailConfigurationException(key + ": " + e.getMessage());
        }
        return Optional.of(new OutboxConfiguration(
                dataSource.get(),
                settings,
                bool(config, RELAY_ENABLED, true),
                millis(config, RELAY_INTERVAL, Duration.ofMillis(DEFAULT_RELAY_INTERVAL_MS)),
                positiveInt(config, RELAY_CONCURRENCY, DEFAULT_RELAY_CONCURRENCY),
                millis(config, PURGE_INTERVAL, Duration.ofMillis(DEFAULT_PURGE_INTERVAL_MS)),
                millis(config, STOP_WAIT, Duration.ofMillis(DEFAULT_STOP_WAIT_MS))));
    }

    private static Optional<String> text(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static boolean bool(Config config, String key, boolean fallback) {
        return text(config, key)
                .map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new MailConfigurationException(key + " is not true or false: '" + v + "'");
                })
                .orElse(fallback);
    }

    private static long positive(Config config, String key, long fallback) {
        return number(config, key, fallback, "a number", Long::parseLong);
    }

    private static int positiveInt(Config config, String key, int fallback) {
        return number(config, key, fallback, "a whole number", Integer::parseInt);
    }

    private static Duration millis(Config config, String key, Duration fallback) {
        return Duration.ofMillis(number(config, key, fallback.toMillis(), "a number of milliseconds", Long::parseLong));
    }

    private static <N extends Number> N number(
            Config config, String key, N fallback, String what, Function<String, N> parse) {
        Optional<String> value = text(config, key);
        if (value.isEmpty()) {
            return fallback;
        }
        N n;
        try {
            n = parse.apply(value.get());
        } catch (NumberFormatException e) {
            throw new MailConfigurationException(key + " is not " + what + ": '" + value.get() + "'");
        }
        if (n.longValue() <= 0) {
            throw new MailConfigurationException(key + " must be positive, not " + n);
        }
        return n;
    }
}
