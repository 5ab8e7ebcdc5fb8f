package io.mailpath.outbox;

import io.mailpath.FailureKind;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import javax.sql.DataSource;

/** The outbox table on one database: its SQL, its creation, and the mapping of times and rows. */
final class OutboxTable {
    /** SQLState of a duplicate key, the same on PostgreSQL and Derby. */
    static final String DUPLICATE_KEY = "23505";
    /** The columns {@link #entry(ResultSet)} reads. */
    static final String ENTRY_COLUMNS = "id, state, attempts, enqueued_at, due_at, possible_duplicate, last_failure,"
            + " last_error, transport, transmission_id, message_id, finished_at";

    private static final String TABLE_EXISTS_POSTGRESQL = "42P07";
    private static final String TABLE_EXISTS_DERBY = "X0Y32";

    final String name;
    final OutboxDialect dialect;
    final DataSource dataSource;

    OutboxTable(DataSource dataSource, String name, OutboxDialect dialect) {
        this.dataSource = dataSource;
        this.name = name;
        this.dialect = dialect;
    }

    /** Creates the table and its index unless the table is there; two servers starting at once both succeed. */
    void createIfAbsent() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (exists(c)) {
                return;
            }
            try (Statement s = c.createStatement()) {
                for (String ddl : dialect.ddl(name)) {
                    s.executeUpdate(ddl);
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            } catch (SQLException e) {
                if (!TABLE_EXISTS_POSTGRESQL.equals(e.getSQLState()) && !TABLE_EXISTS_DERBY.equals(e.getSQLState())) {
                    throw e;
                }
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        }
    }

    private boolean exists(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        int dot = name.indexOf('.');
        String schema = dot < 0 ? null : name.substring(0, dot);
        String table = name.substring(dot + 1);
        if (meta.storesUpperCaseIdentifiers()) {
            schema = schema == null ? null : schema.toUpperCase(Locale.ROOT);
            table = table.toUpperCase(Locale.ROOT);
        } else if (meta.storesLowerCaseIdentifiers()) {
            schema = schema == null ? null : schema.toLowerCase(Locale.ROOT);
            table = table.toLowerCase(Locale.ROOT);
        }
        try (ResultSet rs = meta.getTables(null, schema == null ? c.getSchema() : schema, table, null)) {
            return rs.next();
        }
    }

    /** An entry as a record, from a row holding {@link #ENTRY_COLUMNS}. */
    static OutboxEntry entry(ResultSet rs) throws SQLException {
        String failure = rs.getString("last_failure");
        return new OutboxEntry(
                rs.getString("id"),
                OutboxState.valueOf(rs.getString("state")),
                rs.getInt("attempts"),
                instant(rs, "enqueued_at"),
                instant(rs, "due_at"),
                rs.getBoolean("possible_duplicate"),
                failure == null ? null : FailureKind.valueOf(failure),
                rs.getString("last_error"),
                rs.getString("transport"),
                rs.getString("transmission_id"),
                rs.getString("message_id"),
                instant(rs, "finished_at"));
    }

    /** Every time is written as UTC (to the millisecond, which both databases keep exactly) and read back as UTC. */
    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, java.sql.Types.TIMESTAMP);
        } else {
            ps.setTimestamp(index, Timestamp.from(instant.truncatedTo(ChronoUnit.MILLIS)), utc());
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column, utc());
        return ts == null ? null : ts.toInstant();
    }

    /** A new calendar each time: drivers may change the one they are given. */
    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    }

    /** Text cut to a column's width, so that a long error message never fails the update recording it. */
    static String fit(String text, int width) {
        return text == null || text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
