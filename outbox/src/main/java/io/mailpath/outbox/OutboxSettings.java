package io.mailpath.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an outbox stores and relays mail. {@link #DEFAULTS} holds the documented defaults; {@link #builder()} changes
 * some of them:
 *
 * <pre>
 * OutboxSettings settings = OutboxSettings.builder().table("app.mail_outbox").lease(Duration.ofMinutes(2)).build();
 * </pre>
 *
 * <p>In a container they come from {@code mailpath.outbox.*} keys ({@link io.mailpath.outbox.cdi.OutboxConfiguration}).
 *
 * @param table the table's name, optionally schema-qualified ({@code app.mail_outbox}); default {@value #DEFAULT_TABLE}
 * @param createSchema whether {@link MailOutbox} creates the table when it is absent
 * @param maxMessageBytes the largest stored message (fields as JSON plus attachment bytes); larger ones are refused
 *     with {@link MessageTooLargeException}
 * @param lease how long a relay owns an entry it claimed; it must exceed the longest send and the clock skew between
 *     servers, or another relay resends it (flagged possible duplicate)
 * @param batchSize how many entries one {@link OutboxRelay#drainOnce()} claims at most
 * @param initialBackoff the wait after the first retryable failure; it doubles with each failure
 * @param maxBackoff the longest wait between two tries
 * @param maxAttempts tries after which an entry that still fails is dead
 * @param maxAge the age (since enqueue, or since a dead entry was retried) after which a failing entry is dead
 * @param deliveredRetention how long delivered entries are kept before {@link OutboxRelay#purgeDelivered()} deletes
 *     them
 * @param clock the time every due date, lease and age is measured by (the servers' clocks must roughly agree)
 */
public record OutboxSettings(
        String table,
        boolean createSchema,
        long maxMessageBytes,
        Duration lease,
        int batchSize,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxAttempts,
        Duration maxAge,
        Duration deliveredRetention,
        Clock clock) {

    // An unquoted SQL identifier, optionally schema-qualified: the name goes into SQL text, so nothing else is
    // allowed. At most 55 characters, so that its version table (<table>_version) stays within PostgreSQL's 63.
    // Declared before DEFAULTS, which the constructor checks against it.
    private static final Pattern TABLE_NAME =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,54}");

    /** The default table name. */
    public static final String DEFAULT_TABLE = "mailpath_outbox";
    /**
     * The default largest stored message: 32 MiB, room for the 20 MB of attachments a {@code Mail} may carry plus its
     * bodies.
     */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 32L * 1024 * 1024;

    /**
     * The defaults: table {@value #DEFAULT_TABLE}, created when absent; 32 MiB per message; a 15 minute lease (longer than the
     * longest routed send under the routing's default Fault Tolerance settings); 20
     * entries a batch; backoff from 30 seconds doubling to 1 hour; dead after 20 tries or 3 days; delivered entries
     * kept 7 days; the system clock (UTC).
     */
    public static final OutboxSettings DEFAULTS = new OutboxSettings(
            DEFAULT_TABLE,
            true,
            DEFAULT_MAX_MESSAGE_BYTES,
            Duration.ofMinutes(15),
            20,
            Duration.ofSeconds(30),
            Duration.ofHours(1),
            20,
            Duration.ofDays(3),
            Duration.ofDays(7),
            Clock.systemUTC());

    public OutboxSettings {
        Objects.requireNonNull(table, "table");
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("outbox table '" + table
                    + "' is not an unquoted SQL name (letters, digits, '_', optionally schema.table)");
        }
        requirePositive("maxMessageBytes", maxMessageBytes);
        requirePositive("lease", lease);
        requirePositive("batchSize", batchSize);
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("maxAttempts", maxAttempts);
        requirePositive("maxAge", maxAge);
        requirePositive("deliveredRetention", deliveredRetention);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "outbox maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
        }
        Objects.requireNonNull(clock, "clock");
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("outbox " + name + " must be positive, not " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("outbox " + name + " must be a positive duration, not " + value);
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings; {@link #build()} checks them all. */
    public static final class Builder {
        private String table;
        private boolean createSchema;
        private long maxMessageBytes;
        private Duration lease;
        private int batchSize;
        private Duration initialBackoff;
        private Duration maxBackoff;
        private int maxAttempts;
        private Duration maxAge;
        private Duration deliveredRetention;
        private Clock clock;

        private Builder(OutboxSettings from) {
            table = from.table;
            createSchema = from.createSchema;
            maxMessageBytes = from.maxMessageBytes;
            lease = from.lease;
            batchSize = from.batchSize;
            initialBackoff = from.initialBackoff;
            maxBackoff = from.maxBackoff;
            maxAttempts = from.maxAttempts;
            maxAge = from.maxAge;
            deliveredRetention = from.deliveredRetention;
            clock = from.clock;
        }

        /** The table's name, optionally schema-qualified. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** Whether the table is created when absent. */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /** The largest stored message, in bytes. */
        public Builder maxMessageBytes(long maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** How long a relay owns an entry it claimed. */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** How many entries one drain claims at most. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Tries after which a failing entry is dead. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The age after which a failing entry is dead. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        /** How long delivered entries are kept. */
        public Builder deliveredRetention(Duration deliveredRetention) {
            this.deliveredRetention = deliveredRetention;
            return this;
        }

        /** The clock every time is measured by. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The backoff: {@code initial} after the first failure, doubling with each failure up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the first value that is wrong
         */
        public OutboxSettings build() {
            return new OutboxSettings(
                    table,
                    createSchema,
                    maxMessageBytes,
                    lease,
                    batchSize,
                    initialBackoff,
                    maxBackoff,
                    maxAttempts,
                    maxAge,
                    deliveredRetention,
                    clock);
        }
    }
}
