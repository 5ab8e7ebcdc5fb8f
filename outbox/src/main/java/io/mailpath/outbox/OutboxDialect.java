package io.mailpath.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The databases the outbox supports, each with its DDL and the way its relays claim entries: database differences as
 * data, read by {@link OutboxStore}, the one class that runs the outbox's SQL. The table is the same on both; only the
 * large-object types differ. Time columns hold UTC.
 *
 * <p>The schema is versioned: {@link #migration(String, int)} gives the statements that bring a table from one version
 * to the next, and {@link #ddl(String)} all of them in order, from nothing to {@link #SCHEMA_VERSION}. With {@link
 * OutboxSettings#createSchema()} on, the outbox runs what a table lacks when it starts, and records the version in a
 * table of its own ({@code <table>_version}); with it off, a DBA runs them, and the outbox checks at start that the
 * table has every column it needs. On {@link #POSTGRESQL}:
 *
 * <pre>
 * -- version 1 (Mailpath 0.1.0)
 * CREATE TABLE mailpath_outbox (
 *     id                 VARCHAR(128)  NOT NULL PRIMARY KEY,  -- Mail.id()
 *     state              VARCHAR(9)    NOT NULL,              -- PENDING, DELIVERED or DEAD
 *     mail_json          TEXT          NOT NULL,              -- every field of the message (CLOB on Derby)
 *     attachments        BYTEA,                               -- the attachments' bytes, one after another (BLOB)
 *     stored_bytes       BIGINT        NOT NULL,
 *     enqueued_at        TIMESTAMP     NOT NULL,
 *     retried_at         TIMESTAMP,                           -- when a dead entry was last retried
 *     due_at             TIMESTAMP     NOT NULL,              -- not sent before
 *     attempts           INTEGER       NOT NULL,
 *     possible_duplicate BOOLEAN       NOT NULL,
 *     lease_token        VARCHAR(36),                         -- the claim of the relay sending it
 *     lease_until        TIMESTAMP,
 *     last_failure       VARCHAR(16),                         -- a FailureKind
 *     last_error         VARCHAR(1000),
 *     transport          VARCHAR(64),
 *     transmission_id    VARCHAR(255),
 *     message_id         VARCHAR(998),
 *     finished_at        TIMESTAMP                            -- delivered or dead at
 * );
 * CREATE INDEX mailpath_outbox_due ON mailpath_outbox (state, due_at);
 * -- version 2: progress per recipient
 * ALTER TABLE mailpath_outbox ADD COLUMN delivered_to TEXT;  -- recipients that got their copy (JSON; CLOB on Derby)
 * ALTER TABLE mailpath_outbox ADD COLUMN undelivered TEXT;   -- recipients not reached, with why (JSON; CLOB)
 * -- version 3: streams
 * ALTER TABLE mailpath_outbox ADD COLUMN stream VARCHAR(32);  -- a named stream (mailpath.streams); NULL: the unnamed one
 * </pre>
 *
 * <p>The unnamed stream is stored as {@code NULL}, not as its name: rows written before version 3, and rows a server
 * still on an earlier Mailpath inserts during a rolling upgrade, are the unnamed stream's as they are, with no default
 * to add and no row to rewrite.
 */
public enum OutboxDialect {
    /** PostgreSQL: relays claim with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so they never wait on each other. */
    POSTGRESQL("TEXT", "BYTEA", true),
    /**
     * Apache Derby (embedded or network): relays claim with a conditional {@code UPDATE} on an expired lease, checked
     * by its row count. The same claim works on any SQL database.
     */
    DERBY("CLOB", "BLOB", false);

    /** The schema version this Mailpath writes and reads. */
    public static final int SCHEMA_VERSION = 3;

    private final String textType;
    private final String bytesType;
    private final boolean skipLocked;

    OutboxDialect(String textType, String bytesType, boolean skipLocked) {
        this.textType = textType;
        this.bytesType = bytesType;
        this.skipLocked = skipLocked;
    }

    /**
     * The dialect of a connection's database.
     *
     * @throws IllegalArgumentException naming the product when it is not supported
     */
    public static OutboxDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String lower = product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (lower.contains("derby")) {
            return DERBY;
        }
        throw new IllegalArgumentException("the Mailpath outbox supports PostgreSQL and Apache Derby, not " + product);
    }

    /** Whether relays claim with {@code FOR UPDATE SKIP LOCKED} rather than one conditional update per entry. */
    boolean skipLocked() {
        return skipLocked;
    }

    /**
     * Whether an insert can skip a duplicate key itself ({@code ON CONFLICT DO NOTHING}): on PostgreSQL a failed
     * statement aborts the whole transaction, so the caller's own work would be lost with it.
     */
    boolean insertSkipsDuplicates() {
        return this == POSTGRESQL;
    }

    /** The JDBC type to bind a null large binary value with. */
    int nullBytesType() {
        return this == POSTGRESQL ? Types.BINARY : Types.BLOB;
    }

    /** Every statement that creates the outbox table at {@link #SCHEMA_VERSION}, in order. */
    public List<String> ddl(String table) {
        List<String> all = new ArrayList<>();
        for (int version = 1; version <= SCHEMA_VERSION; version++) {
            all.addAll(migration(table, version));
        }
        return all;
    }

    /**
     * The statements that bring the outbox table from {@code version - 1} to {@code version} (version 1: creates it).
     *
     * @throws IllegalArgumentException when {@code version} is not between 1 and {@link #SCHEMA_VERSION}
     */
    public List<String> migration(String table, int version) {
        return switch (version) {
            case 1 -> {
                // PostgreSQL puts an index in its table's schema and refuses a qualified name; Derby needs the same
                // schema named.
                String index = (this == POSTGRESQL ? table.substring(table.lastIndexOf('.') + 1) : table) + "_due";
                yield List.of(
                        "CREATE TABLE " + table + " ("
                                + "id VARCHAR(128) NOT NULL PRIMARY KEY, "
                                + "state VARCHAR(9) NOT NULL, "
                                + "mail_json " + textType + " NOT NULL, "
                                + "attachments " + bytesType + ", "
                                + "stored_bytes BIGINT NOT NULL, "
                                + "enqueued_at TIMESTAMP NOT NULL, "
                                + "retried_at TIMESTAMP, "
                                + "due_at TIMESTAMP NOT NULL, "
                                + "attempts INTEGER NOT NULL, "
                                + "possible_duplicate BOOLEAN NOT NULL, "
                                + "lease_token VARCHAR(36), "
                                + "lease_until TIMESTAMP, "
                                + "last_failure VARCHAR(16), "
                                + "last_error VARCHAR(1000), "
                                + "transport VARCHAR(64), "
                                + "transmission_id VARCHAR(255), "
                                + "message_id VARCHAR(998), "
                                + "finished_at TIMESTAMP)",
                        "CREATE INDEX " + index + " ON " + table + " (state, due_at)");
            }
            case 2 -> List.of(
                    "ALTER TABLE " + table + " ADD COLUMN delivered_to " + textType,
                    "ALTER TABLE " + table + " ADD COLUMN undelivered " + textType);
            case 3 -> List.of("ALTER TABLE " + table + " ADD COLUMN stream VARCHAR(32)");
            default -> throw new IllegalArgumentException(
                    "outbox schema version " + version + "; this Mailpath knows 1 to " + SCHEMA_VERSION);
        };
    }

    /** The statement that creates the table recording a table's schema version (one row). */
    String versionTableDdl(String versionTable) {
        return "CREATE TABLE " + versionTable + " (id INTEGER NOT NULL PRIMARY KEY, version INTEGER NOT NULL)";
    }
}
