package io.mailpath.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The databases the outbox supports, each with its DDL and the way its relays claim entries. The table is the same
 * on both; only the large-object types differ. Time columns hold UTC.
 *
 * <p>The table of {@link #POSTGRESQL} (what {@link MailOutbox} creates when it is absent, or what a DBA runs when
 * {@link OutboxSettings#createSchema()} is off):
 *
 * <pre>
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
 * </pre>
 */
public enum OutboxDialect {
    /** PostgreSQL: relays claim with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so they never wait on each other. */
    POSTGRESQL("TEXT", "BYTEA", true),
    /**
     * Apache Derby (embedded or network): relays claim with a conditional {@code UPDATE} on an expired lease, checked
     * by its row count. The same claim works on any SQL database.
     */
    DERBY("CLOB", "BLOB", false);

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

    /** The statements that create the outbox table and its index, in order. */
    public List<String> ddl(String table) {
        // PostgreSQL puts an index in its table's schema and refuses a qualified name; Derby needs the same schema
        // named.
        String index = (this == POSTGRESQL ? table.substring(table.lastIndexOf('.') + 1) : table) + "_due";
        return List.of(
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
}
