package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.time.Duration;
import java.util.Optional;
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
    public static final String PREFIX = ConfigKey.PREFIX + "outbox.";

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

    private static final OutboxSettings DEFAULTS = OutboxSettings.DEFAULTS;

    /** {@value #DATASOURCE}. */
    public static final ConfigKey<String> DATASOURCE_KEY = ConfigKey.string(
                    DATASOURCE, "JNDI name of the application's `DataSource`, looked up when the application starts.")
            .documentedDefault("— (outbox off)");
    /** {@value #TABLE}. */
    public static final ConfigKey<String> TABLE_KEY = ConfigKey.string(
            TABLE,
            OutboxSettings.DEFAULT_TABLE,
            "The table, optionally `schema.table`: an unquoted SQL name of at most 55 characters; its schema version"
                    + " is kept in `<table>_version`.");
    /** {@value #CREATE_SCHEMA}. */
    public static final ConfigKey<Boolean> CREATE_SCHEMA_KEY = ConfigKey.bool(
            CREATE_SCHEMA,
            DEFAULTS.createSchema(),
            "Create the table on start when absent (off: run `OutboxDialect.ddl(table)` yourself).");
    /** {@value #MAX_MESSAGE_BYTES}. */
    public static final ConfigKey<Long> MAX_MESSAGE_BYTES_KEY = ConfigKey.number(
            MAX_MESSAGE_BYTES,
            DEFAULTS.maxMessageBytes(),
            "Larger messages are refused with `MessageTooLargeException`.");
    /** {@value #LEASE}. */
    public static final ConfigKey<Duration> LEASE_KEY = ConfigKey.millis(
            LEASE,
            DEFAULT_LEASE_MS,
            "How long a relay owns an entry it claimed; with a relay, the deployment fails"
                    + " (`MAILPATH-OUTBOX-LEASE`) unless it exceeds the longest routed send by a tenth, and 5 s at"
                    + " least.");
    /** {@value #BATCH_SIZE}. */
    public static final ConfigKey<Long> BATCH_SIZE_KEY = ConfigKey.number(
                    BATCH_SIZE,
                    DEFAULTS.batchSize(),
                    "Entries one claim takes; a drain claims again while batches come back full.")
            .atMost(Integer.MAX_VALUE);
    /** {@value #INITIAL_BACKOFF}. */
    public static final ConfigKey<Duration> INITIAL_BACKOFF_KEY = ConfigKey.millis(
            INITIAL_BACKOFF,
            DEFAULTS.initialBackoff().toMillis(),
            "Wait after the first retryable failure, doubling with each.");
    /** {@value #MAX_BACKOFF}. */
    public static final ConfigKey<Duration> MAX_BACKOFF_KEY =
            ConfigKey.millis(MAX_BACKOFF, DEFAULTS.maxBackoff().toMillis(), "The longest wait between two tries.");
    /** {@value #MAX_ATTEMPTS}. */
    public static final ConfigKey<Long> MAX_ATTEMPTS_KEY = ConfigKey.number(
                    MAX_ATTEMPTS, DEFAULTS.maxAttempts(), "Tries after which a failing entry is dead.")
            .atMost(Integer.MAX_VALUE);
    /** {@value #MAX_AGE}. */
    public static final ConfigKey<Duration> MAX_AGE_KEY =
            ConfigKey.millis(MAX_AGE, DEFAULTS.maxAge().toMillis(), "Age after which a failing entry is dead.");
    /** {@value #DELIVERED_RETENTION}. */
    public static final ConfigKey<Duration> DELIVERED_RETENTION_KEY = ConfigKey.millis(
            DELIVERED_RETENTION,
            DEFAULTS.deliveredRetention().toMillis(),
            "Delivered entries older than this are purged.");
    /** {@value #RELAY_ENABLED}. */
    public static final ConfigKey<Boolean> RELAY_ENABLED_KEY = ConfigKey.bool(
            RELAY_ENABLED, true, "`false`: this server only enqueues (others sharing the table drain it).");
    /** {@value #RELAY_CONCURRENCY}. */
    public static final ConfigKey<Long> RELAY_CONCURRENCY_KEY = ConfigKey.number(
                    RELAY_CONCURRENCY,
                    DEFAULT_RELAY_CONCURRENCY,
                    "Drains this server's relay runs at once on the managed executor, each claiming its own batch"
                            + " and sending it one message after another (`1`: one send at a time).")
            .atMost(Integer.MAX_VALUE);
    /** {@value #RELAY_INTERVAL}. */
    public static final ConfigKey<Duration> RELAY_INTERVAL_KEY = ConfigKey.millis(
            RELAY_INTERVAL,
            DEFAULT_RELAY_INTERVAL_MS,
            "How often the relay asks for a drain, besides right after each commit.");
    /** {@value #PURGE_INTERVAL}. */
    public static final ConfigKey<Duration> PURGE_INTERVAL_KEY = ConfigKey.millis(
            PURGE_INTERVAL, DEFAULT_PURGE_INTERVAL_MS, "Pause between two purges of delivered entries.");
    /** {@value #STOP_WAIT}. */
    public static final ConfigKey<Duration> STOP_WAIT_KEY = ConfigKey.millis(
            STOP_WAIT,
            DEFAULT_STOP_WAIT_MS,
            "How long the application's stop waits for the relay's sends under way; a send that takes longer keeps"
                    + " its entry leased.");

    /** The outbox's keys, for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Outbox",
            "The outbox is off unless `mailpath.outbox.datasource` is set; then every other key is optional, and every"
                    + " value is checked when the application is deployed.",
            DATASOURCE_KEY,
            TABLE_KEY,
            CREATE_SCHEMA_KEY,
            MAX_MESSAGE_BYTES_KEY,
            LEASE_KEY,
            BATCH_SIZE_KEY,
            INITIAL_BACKOFF_KEY,
            MAX_BACKOFF_KEY,
            MAX_ATTEMPTS_KEY,
            MAX_AGE_KEY,
            DELIVERED_RETENTION_KEY,
            RELAY_ENABLED_KEY,
            RELAY_CONCURRENCY_KEY,
            RELAY_INTERVAL_KEY,
            PURGE_INTERVAL_KEY,
            STOP_WAIT_KEY);

    /**
     * The configured outbox, or empty when {@value #DATASOURCE} is not set.
     *
     * @throws MailConfigurationException naming the key whose value is invalid
     */
    public static Optional<OutboxConfiguration> read(Config config) {
        ConfigReader r = ConfigReader.of(config);
        Optional<String> dataSource = r.optional(DATASOURCE_KEY);
        if (dataSource.isEmpty()) {
            return Optional.empty();
        }
        OutboxSettings.Builder b = DEFAULTS.toBuilder();
        r.optional(TABLE_KEY).ifPresent(b::table);
        b.createSchema(r.get(CREATE_SCHEMA_KEY));
        b.maxMessageBytes(r.get(MAX_MESSAGE_BYTES_KEY));
        b.lease(r.get(LEASE_KEY));
        b.batchSize(r.get(BATCH_SIZE_KEY).intValue());
        b.backoff(r.get(INITIAL_BACKOFF_KEY), r.get(MAX_BACKOFF_KEY));
        b.maxAttempts(r.get(MAX_ATTEMPTS_KEY).intValue());
        b.maxAge(r.get(MAX_AGE_KEY));
        b.deliveredRetention(r.get(DELIVERED_RETENTION_KEY));
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
                r.get(RELAY_ENABLED_KEY),
                r.get(RELAY_INTERVAL_KEY),
                r.get(RELAY_CONCURRENCY_KEY).intValue(),
                r.get(PURGE_INTERVAL_KEY),
                r.get(STOP_WAIT_KEY)));
    }
}
