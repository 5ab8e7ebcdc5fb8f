package io.mailpath.outbox;

import io.mailpath.Mail;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A durable outbox in the application's own database: {@link #enqueue(Mail)} writes the whole message in the caller's
 * transaction, and an {@link OutboxRelay} sends it later, on this server or another sharing the database.
 *
 * <pre>
 * MailOutbox outbox = new MailOutbox(dataSource, OutboxSettings.DEFAULTS);
 * String id = outbox.enqueue(mail); // in the caller's transaction: sent only if it commits
 * </pre>
 *
 * <p>In a Jakarta EE container the {@code DataSource} enlists its connections in the active JTA transaction, so the
 * row commits or rolls back with the caller's own work: mail is sent only after commit, never after a rollback.
 * Without JTA, {@link #enqueue(Connection, Mail)} writes on a connection the caller commits or rolls back.
 *
 * <p>Safe for concurrent use.
 */
public final class MailOutbox {
    /** The name errors from the outbox carry as their transport. */
    public static final String TRANSPORT_NAME = "outbox";

    final OutboxTable table;
    final OutboxSettings settings;
    private final Consumer<String> onEnqueued;

    /**
     * An outbox on a data source; creates its table when absent unless {@link OutboxSettings#createSchema()} is off.
     *
     * @throws OutboxStorageException when the database cannot be reached or the table cannot be created
     * @throws IllegalArgumentException when the database is not one the outbox supports
     */
    public MailOutbox(DataSource dataSource, OutboxSettings settings) {
        this(dataSource, settings, id -> {});
    }

    /**
     * An outbox that tells {@code onEnqueued} of each message it stored: on the enqueuing thread, right after the
     * insert and before the caller's transaction ends (in a container, it registers for that transaction's commit and
     * asks the relay to drain then). A failure of {@code onEnqueued} reaches the caller of {@code enqueue}, whose
     * transaction may still roll back the row.
     *
     * @throws OutboxStorageException when the database cannot be reached or the table cannot be created
     * @throws IllegalArgumentException when the database is not one the outbox supports
     */
    public MailOutbox(DataSource dataSource, OutboxSettings settings, Consumer<String> onEnqueued) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onEnqueued = Objects.requireNonNull(onEnqueued, "onEnqueued");
        Objects.requireNonNull(dataSource, "dataSource");
        try {
            OutboxDialect dialect;
            try (Connection c = dataSource.getConnection()) {
                dialect = OutboxDialect.of(c);
            }
            this.table = new OutboxTable(dataSource, settings.table(), dialect);
            if (settings.createSchema()) {
                table.createIfAbsent();
            }
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot set up the outbox table " + settings.table(), e);
        }
    }

    /** The dialect found on the data source. */
    public OutboxDialect dialect() {
        return table.dialect;
    }

    /** The settings this outbox runs with. */
    public OutboxSettings settings() {
        return settings;
    }

    /**
     * Stores the whole message (attachments read now) on a connection of the outbox's data source, due at once. In a
     * container that connection takes part in the caller's JTA transaction; outside one, with auto-commit, the row
     * commits at once.
     *
     * @return the message's id, which the relay's delivery keeps
     * @throws MessageTooLargeException above {@link OutboxSettings#maxMessageBytes()}; nothing is written
     * @throws DuplicateMailIdException when the outbox already holds this id
     * @throws OutboxStorageException when the database fails
     */
    public String enqueue(Mail mail) {
        try (Connection c = table.dataSource.getConnection()) {
            return enqueue(c, mail);
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot enqueue mail " + mail.id(), e);
        }
    }

    /**
     * Stores the whole message on the caller's connection, in its transaction: the caller commits or rolls back; the
     * connection's auto-commit and transaction are left as they were.
     *
     * @return the message's id
     * @throws MessageTooLargeException above {@link OutboxSettings#maxMessageBytes()}; nothing is written
     * @throws DuplicateMailIdException when the outbox already holds this id
     * @throws OutboxStorageException when the database fails
     */
    public String enqueue(Connection connection, Mail mail) {
        MailCodec.Stored stored = MailCodec.encode(mail);
        long size = stored.size();
        if (size > settings.maxMessageBytes()) {
            throw new MessageTooLargeException(mail.id(), size, settings.maxMessageBytes());
        }
        Instant now = settings.clock().instant();
        String sql = "INSERT INTO " + table.name + " (id, state, mail_json, attachments, stored_bytes, enqueued_at,"
                + " due_at, attempts, possible_duplicate) VALUES (?, ?, ?, ?, ?, ?, ?, 0, FALSE)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, mail.id());
            ps.setString(2, OutboxState.PENDING.name());
            ps.setCharacterStream(
                    3, new StringReader(stored.json()), stored.json().length());
            if (stored.attachments().length == 0) {
                ps.setNull(4, table.dialect == OutboxDialect.POSTGRESQL ? Types.BINARY : Types.BLOB);
            } else {
                ps.setBinaryStream(4, new ByteArrayInputStream(stored.attachments()), stored.attachments().length);
            }
            ps.setLong(5, size);
            OutboxTable.setInstant(ps, 6, now);
            OutboxTable.setInstant(ps, 7, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (OutboxTable.DUPLICATE_KEY.equals(e.getSQLState())) {
                throw new DuplicateMailIdException(mail.id(), e);
            }
            throw new OutboxStorageException("cannot enqueue mail " + mail.id(), e);
        }
        onEnqueued.accept(mail.id());
        return mail.id();
    }

    /** The entry of a message, without the message, or empty when the outbox does not hold it (or purged it). */
    public Optional<OutboxEntry> entry(String id) {
        String sql = "SELECT " + OutboxTable.ENTRY_COLUMNS + " FROM " + table.name + " WHERE id = ?";
        try (Connection c = table.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(OutboxTable.entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot read outbox entry " + id, e);
        }
    }

    /**
     * The most recently enqueued entries, in every state, newest first, at most {@code limit}: what an operator's page
     * shows of the outbox. Delivered entries stay listed until purged after the retention.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public List<OutboxEntry> recentEntries(int limit) {
        return entries(
                "ORDER BY enqueued_at DESC, id DESC",
                ps -> {},
                positiveLimit(limit),
                "cannot list recent outbox entries");
    }

    /**
     * Dead entries, the most recent deaths first, at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public List<OutboxEntry> deadEntries(int limit) {
        return entries(
                "WHERE state = ? ORDER BY finished_at DESC, id",
                ps -> ps.setString(1, OutboxState.DEAD.name()),
                positiveLimit(limit),
                "cannot list dead outbox entries");
    }

    private static int positiveLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        return limit;
    }

    /**
     * The entries a clause selects, in its order, at most {@code limit} (positive): a limit in the SQL (PostgreSQL and
     * Derby both know {@code FETCH FIRST}), so the database keeps only the first rows while it sorts.
     */
    private List<OutboxEntry> entries(String clause, Binder binder, int limit, String failure) {
        String sql = "SELECT " + OutboxTable.ENTRY_COLUMNS + " FROM " + table.name + " " + clause + " FETCH FIRST "
                + limit + " ROWS ONLY";
        try (Connection c = table.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<OutboxEntry> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(OutboxTable.entry(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new OutboxStorageException(failure, e);
        }
    }

    /**
     * Makes a dead entry due again at once, with its tries counted from zero and its age from now; it keeps its id and
     * its possible-duplicate flag.
     *
     * @return whether a dead entry with this id was there
     */
    public boolean retryDead(String id) {
        Instant now = settings.clock().instant();
        return update(
                        "UPDATE " + table.name
                                + " SET state = ?, due_at = ?, retried_at = ?, attempts = 0, finished_at = NULL"
                                + " WHERE id = ? AND state = ?",
                        "cannot retry outbox entry " + id,
                        ps -> {
                            ps.setString(1, OutboxState.PENDING.name());
                            OutboxTable.setInstant(ps, 2, now);
                            OutboxTable.setInstant(ps, 3, now);
                            ps.setString(4, id);
                            ps.setString(5, OutboxState.DEAD.name());
                        })
                == 1;
    }

    /**
     * Deletes a dead entry.
     *
     * @return whether a dead entry with this id was there
     */
    public boolean purgeDead(String id) {
        return update(
                        "DELETE FROM " + table.name + " WHERE id = ? AND state = ?",
                        "cannot purge outbox entry " + id,
                        ps -> {
                            ps.setString(1, id);
                            ps.setString(2, OutboxState.DEAD.name());
                        })
                == 1;
    }

    /**
     * Deletes the entries that died before a time.
     *
     * @return how many were deleted
     */
    public int purgeDead(Instant diedBefore) {
        return update(
                "DELETE FROM " + table.name + " WHERE state = ? AND finished_at < ?",
                "cannot purge dead outbox entries",
                ps -> {
                    ps.setString(1, OutboxState.DEAD.name());
                    OutboxTable.setInstant(ps, 2, diedBefore);
                });
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs one statement on its own connection (committed with it, or with the container's transaction). */
    int update(String sql, String failure, Binder binder) {
        try (Connection c = table.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxStorageException(failure, e);
        }
    }
}
