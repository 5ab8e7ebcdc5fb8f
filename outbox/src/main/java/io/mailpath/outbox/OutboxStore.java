package io.mailpath.outbox;

import io.mailpath.FailureKind;
import io.mailpath.MailStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Every statement the outbox runs, on one table of one database: the one place for its SQL. {@link MailOutbox} and
 * {@link OutboxRelay} say what to store; this class says how, with the differences between databases taken from
 * {@link OutboxDialect}. Each method states what it changes and on which condition.
 *
 * <p>Methods throw {@link SQLException}; their callers turn it into {@link OutboxStorageException} with what they were
 * doing.
 */
final class OutboxStore {
    private static final Logger LOG = Logger.getLogger(OutboxStore.class.getName());

    /** SQLState of a duplicate key, the same on PostgreSQL and Derby. */
    private static final String DUPLICATE_KEY = "23505";

    private static final String TABLE_EXISTS_POSTGRESQL = "42P07";
    private static final String TABLE_EXISTS_DERBY = "X0Y32";

    /**
     * SQLState of PostgreSQL's "type already exists": a table's row type, which a server creating the same table at
     * the same moment may register first.
     */
    private static final String TYPE_EXISTS_POSTGRESQL = "42710";

    /** SQLState of PostgreSQL's "column already exists". */
    private static final String COLUMN_EXISTS_POSTGRESQL = "42701";

    /** What a step of a migration may find done already (a DBA's, or a table made without its version recorded). */
    private static final Set<String> ALREADY_THERE =
            Set.of(TABLE_EXISTS_POSTGRESQL, TYPE_EXISTS_POSTGRESQL, COLUMN_EXISTS_POSTGRESQL, TABLE_EXISTS_DERBY);

    /** The columns {@link #entry(ResultSet)} reads. */
    private static final String ENTRY_COLUMNS = "id, state, attempts, enqueued_at, due_at, possible_duplicate,"
            + " last_failure, last_error, transport, transmission_id, message_id, finished_at, delivered_to,"
            + " undelivered, stream";

    /** What giving a claimed entry back sets: as if it had not been claimed (not flagged; a claim counts no try). */
    private static final String HAND_BACK = "lease_token = NULL, lease_until = NULL";

    /** The widest error text a row keeps. */
    static final int ERROR_WIDTH = 1000;

    final String table;
    final OutboxDialect dialect;
    final DataSource dataSource;
    private final String versionTable;

    OutboxStore(DataSource dataSource, String table, OutboxDialect dialect) {
        this.dataSource = dataSource;
        this.table = table;
        this.dialect = dialect;
        this.versionTable = table + "_version";
    }

    // ---------------------------------------------------------------------------------------------- the schema

    /**
     * Brings the table to {@link OutboxDialect#SCHEMA_VERSION}, creating it when absent and migrating it in place,
     * rows included, when an earlier Mailpath created it. The version is recorded in {@code <table>_version}; a table
     * that is there without it is version 1 (Mailpath 0.1.0 recorded none). Servers starting at once take turns: the
     * first locks the version row and migrates, the others then find the table current.
     */
    void migrate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (hasCurrentColumns(c)) {
                // Current already, whoever made it so (also a DBA, with no version table and perhaps no right to
                // create one): nothing to change.
                return;
            }
            createIgnoringExisting(c, dialect.versionTableDdl(versionTable));
            insertVersionRowIfAbsent(c);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        c.prepareStatement("UPDATE " + versionTable + " SET version = version WHERE id = 1")) {
                    lock.executeUpdate(); // holds the row until commit: one server migrates at a time
                }
                int found;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT version FROM " + versionTable + " WHERE id = 1")) {
                    rs.next();
                    found = rs.getInt(1);
                }
                if (found == 0 && tableExists(c)) {
                    found = 1; // created by Mailpath 0.1.0, which recorded no version
                }
                int from = found;
                if (found < OutboxDialect.SCHEMA_VERSION) {
                    try (Statement s = c.createStatement()) {
                        for (int version = found + 1; version <= OutboxDialect.SCHEMA_VERSION; version++) {
                            for (String ddl : dialect.migration(table, version)) {
                                runIgnoringDone(c, s, ddl);
                            }
                        }
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement("UPDATE " + versionTable + " SET version = ? WHERE id = 1")) {
                        ps.setInt(1, OutboxDialect.SCHEMA_VERSION);
                        ps.executeUpdate();
                    }
                    LOG.info(() -> "Mailpath outbox table " + table + " "
                            + (from == 0 ? "created" : "migrated from schema version " + from) + " at version "
                            + OutboxDialect.SCHEMA_VERSION);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Runs one step of a migration in the migrating transaction; a step whose column or table is there already (a
     * table at version 2 that recorded no version, a column a DBA added) is passed over. A savepoint keeps the
     * transaction usable after such a failure: PostgreSQL would otherwise abort it.
     */
    private void runIgnoringDone(Connection c, Statement s, String ddl) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            s.executeUpdate(ddl);
            c.releaseSavepoint(before);
        } catch (SQLException e) {
            if (!ALREADY_THERE.contains(e.getSQLState())) {
                throw e;
            }
            c.rollback(before);
            LOG.fine(() -> "Mailpath outbox table " + table + ": found done already: " + ddl);
        }
    }

    /** Whether the table is there with every column of {@link OutboxDialect#SCHEMA_VERSION} (asked outside a transaction). */
    private boolean hasCurrentColumns(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT delivered_to, undelivered, stream FROM " + table + " WHERE 1 = 0")
                    .close();
            return true;
        } catch (SQLException absent) {
            if (!c.getAutoCommit()) {
                c.rollback(); // PostgreSQL ends a transaction at its first failed statement
            }
            return false;
        }
    }

    /**
     * Checks, without changing anything, that the table has every column this version reads and writes: for a schema
     * a DBA manages ({@link OutboxSettings#createSchema()} off).
     *
     * @throws SQLException naming what to run when a column is missing
     */
    void requireCurrentSchema() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeQuery("SELECT " + ENTRY_COLUMNS + ", mail_json, attachments, lease_token FROM " + table
                            + " WHERE 1 = 0")
                    .close();
        } catch (SQLException e) {
            throw new SQLException(
                    "the outbox table " + table + " is missing or lacks columns of schema version "
                            + OutboxDialect.SCHEMA_VERSION + " (run OutboxDialect." + dialect
                            + ".migration(table, version) for each version it lacks): " + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
    }

    private static void createIgnoringExisting(Connection c, String ddl) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(ddl);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            // A PostgreSQL server creating the same table at the same moment fails on its catalog's unique key, or on
            // the table's row type, depending on which it reaches first.
            if (!TABLE_EXISTS_POSTGRESQL.equals(e.getSQLState())
                    && !TYPE_EXISTS_POSTGRESQL.equals(e.getSQLState())
                    && !TABLE_EXISTS_DERBY.equals(e.getSQLState())
                    && !DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        }
    }

    private void insertVersionRowIfAbsent(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + versionTable + " (id, version) VALUES (1, 0)");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        }
    }

    /**
     * Whether the table is there. The name is a pattern to {@code getTables}, where {@code _} and {@code %} are
     * wildcards: escaped, so that {@code mailpathXoutbox} never passes for {@code mailpath_outbox}.
     */
    private boolean tableExists(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        int dot = table.indexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = table.substring(dot + 1);
        if (meta.storesUpperCaseIdentifiers()) {
            schema = schema == null ? null : schema.toUpperCase(Locale.ROOT);
            name = name.toUpperCase(Locale.ROOT);
        } else if (meta.storesLowerCaseIdentifiers()) {
            schema = schema == null ? null : schema.toLowerCase(Locale.ROOT);
            name = name.toLowerCase(Locale.ROOT);
        }
        String escape = meta.getSearchStringEscape();
        try (ResultSet rs = meta.getTables(
                null, escape(schema == null ? c.getSchema() : schema, escape), escape(name, escape), null)) {
            while (rs.next()) {
                // Checked again by name: a driver whose escape does not work still cannot match another table.
                if (rs.getString("TABLE_NAME").equals(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static String escape(String pattern, String escape) {
        if (pattern == null || escape == null || escape.isEmpty()) {
            return pattern;
        }
        return pattern.replace(escape, escape + escape)
                .replace("_", escape + "_")
                .replace("%", escape + "%");
    }

    // ---------------------------------------------------------------------------------------------- enqueue

    /**
     * Inserts a new pending entry of a stream ({@value MailStream#DEFAULT}: the unnamed one, stored as NULL), due at
     * {@code now}, on the caller's connection and in its transaction.
     *
     * @return false when the table holds this id already; the caller's transaction is left usable (PostgreSQL would
     *     abort it on a failed insert, so there the insert skips the duplicate instead of failing)
     */
    boolean insert(Connection c, String id, String stream, MailCodec.Stored stored, long size, Instant now)
            throws SQLException {
        String sql = "INSERT INTO " + table + " (id, state, mail_json, attachments, stored_bytes, enqueued_at, due_at,"
                + " attempts, possible_duplicate, stream) VALUES (?, ?, ?, ?, ?, ?, ?, 0, FALSE, ?)"
                + (dialect.insertSkipsDuplicates() ? " ON CONFLICT (id) DO NOTHING" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, OutboxState.PENDING.name());
            ps.setCharacterStream(
                    3, new StringReader(stored.json()), stored.json().length());
            if (stored.attachments().length == 0) {
                ps.setNull(4, dialect.nullBytesType());
            } else {
                ps.setBinaryStream(4, new ByteArrayInputStream(stored.attachments()), stored.attachments().length);
            }
            ps.setLong(5, size);
            setInstant(ps, 6, now);
            setInstant(ps, 7, now);
            ps.setString(8, MailStream.DEFAULT.equals(stream) ? null : stream); // NULL: the unnamed stream
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false; // Derby: only the statement failed, the transaction goes on
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------- claims

    /** A claimed entry: what the relay needs to decide before it reads the message itself. */
    record Claimed(
            String id,
            String token,
            Instant leaseUntil,
            int attempts,
            boolean possibleDuplicate,
            Instant ageFrom,
            OutboxEntry entry) {}

    /**
     * Leases up to {@code max} due entries whose lease is free or ran out to {@code token} until {@code leaseUntil}
     * (a try is counted when its send starts: {@link #startTry}); an entry whose earlier lease ran out is flagged possible duplicate, because its earlier
     * relay may have sent it. Reads no message: each is read when it is sent ({@link #message}), so a batch of large
     * messages never sits in memory at once.
     */
    List<Claimed> claim(int max, String token, Instant now, Instant leaseUntil) throws SQLException {
        String take = "UPDATE " + table + " SET lease_token = ?, lease_until = ?,"
                + " possible_duplicate = CASE WHEN lease_token IS NULL THEN possible_duplicate ELSE TRUE END"
                + " WHERE id = ?";
        List<String> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (dialect.skipLocked()) {
                // One short transaction: rows another relay is claiming right now are skipped, not waited for.
                c.setAutoCommit(false);
                try {
                    List<String> takenOver = candidates(c, true, now, 1);
                    List<String> ids = new ArrayList<>(candidates(c, false, now, max - takenOver.size()));
                    ids.addAll(takenOver); // last: see candidates
                    try (PreparedStatement ps = c.prepareStatement(take)) {
                        for (String id : ids) {
                            bindTake(ps, token, leaseUntil, id);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    c.commit();
                    claimed.addAll(ids);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } else {
                // Portable: a candidate is ours only if the update still finds its lease free (row count 1); another
                // relay that got there first leaves the row count at 0. More candidates than needed, for those lost.
                try (PreparedStatement ps = c.prepareStatement(
                        take + " AND state = ? AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)")) {
                    List<String> takenOver = new ArrayList<>();
                    try {
                        takeSome(ps, candidates(c, true, now, 2), 1, token, now, leaseUntil, takenOver);
                        int free = max - takenOver.size();
                        takeSome(ps, candidates(c, false, now, free * 2), free, token, now, leaseUntil, claimed);
                    } catch (SQLException | RuntimeException e) {
                        claimed.addAll(takenOver);
                        handBack(claimed, token, e); // those claimed before the failure: each update committed
                        throw e;
                    }
                    claimed.addAll(takenOver); // last: see candidates
                }
            }
            try {
                return readBack(c, claimed, token, leaseUntil);
            } catch (SQLException | RuntimeException e) {
                // Leased but never handed to the relay, they would wait out their lease and come back counted and
                // flagged possible duplicate, though nothing was sent: given back now instead.
                handBack(claimed, token, e);
                throw e;
            }
        }
    }

    /** The claimed entries as the claim left them (their tries counted, their flags set). */
    private List<Claimed> readBack(Connection c, List<String> claimed, String token, Instant leaseUntil)
            throws SQLException {
        List<Claimed> claims = new ArrayList<>(claimed.size());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + ENTRY_COLUMNS + ", retried_at FROM " + table + " WHERE id = ? AND lease_token = ?")) {
            for (String id : claimed) {
                ps.setString(1, id);
                ps.setString(2, token);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        OutboxEntry entry = entry(rs);
                        Instant retried = instant(rs, "retried_at");
                        claims.add(new Claimed(
                                id,
                                token,
                                leaseUntil,
                                entry.attempts(),
                                entry.possibleDuplicate(),
                                retried != null ? retried : entry.enqueuedAt(),
                                entry));
                    }
                }
            }
        }
        return claims;
    }

    /**
     * Gives back entries claimed under {@code token} and not handed to the relay, on a connection of its own (the
     * claim's may be the one that failed); a failure here is added to {@code cause}, and their leases run out instead.
     */
    private void handBack(List<String> ids, String token, Exception cause) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE " + table + " SET " + HAND_BACK + " WHERE id = ? AND lease_token = ?")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.setString(2, token);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Due entries to claim, oldest first: free ones, or ({@code takenOver}) ones whose lease ran out. A claim takes at
     * most one of the latter, and sends it after the others: an entry whose relay died while sending it may bring the
     * next relay down too, and must not take the entries claimed beside it down with it, again and again (each claim
     * counts a try); alone, only it reaches {@link OutboxSettings#maxAttempts()}.
     */
    private List<String> candidates(Connection c, boolean takenOver, Instant now, int limit) throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "SELECT id FROM " + table + " WHERE state = ? AND due_at <= ? AND "
                + (takenOver ? "lease_until <= ?" : "lease_until IS NULL") + " ORDER BY due_at "
                + (dialect.skipLocked() ? "LIMIT ? FOR UPDATE SKIP LOCKED" : "FETCH FIRST ? ROWS ONLY");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, OutboxState.PENDING.name());
            setInstant(ps, i++, now);
            if (takenOver) {
                setInstant(ps, i++, now);
            }
            ps.setInt(i, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /**
     * Takes up to {@code max} of the candidates by the conditional update into {@code taken}; those another relay took
     * are passed over.
     */
    private static void takeSome(
            PreparedStatement take,
            List<String> candidates,
            int max,
            String token,
            Instant now,
            Instant leaseUntil,
            List<String> taken)
            throws SQLException {
        for (String id : candidates) {
            if (taken.size() == max) {
                break;
            }
            bindTake(take, token, leaseUntil, id);
            take.setString(4, OutboxState.PENDING.name());
            setInstant(take, 5, now);
            setInstant(take, 6, now);
            if (take.executeUpdate() == 1) {
                taken.add(id);
            }
        }
    }

    private static void bindTake(PreparedStatement ps, String token, Instant leaseUntil, String id)
            throws SQLException {
        ps.setString(1, token);
        setInstant(ps, 2, leaseUntil);
        ps.setString(3, id);
    }

    /** A claimed entry's stored message and recipient progress, read just before it is sent. */
    record StoredMessage(String json, byte[] attachments, RecipientProgress progress) {}

    /** The stored message of an entry this claim still holds, or empty when its lease was lost meanwhile. */
    Optional<StoredMessage> message(Claimed claim) throws SQLException {
        String sql = "SELECT mail_json, attachments, delivered_to, undelivered FROM " + table
                + " WHERE id = ? AND lease_token = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, claim.id());
            ps.setString(2, claim.token());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String json = rs.getString("mail_json");
                byte[] attachments;
                try (InputStream in = rs.getBinaryStream("attachments")) {
                    attachments = in == null ? new byte[0] : in.readAllBytes();
                } catch (IOException e) {
                    throw new SQLException("cannot read the attachments of outbox entry " + claim.id(), e);
                }
                RecipientProgress progress =
                        RecipientProgress.of(rs.getString("delivered_to"), rs.getString("undelivered"));
                return Optional.of(new StoredMessage(json, attachments, progress));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- outcomes

    /** An outcome to record: the new state's columns. Null fields leave their column as it is. */
    record Outcome(
            OutboxState state,
            Instant dueAt,
            FailureKind failure,
            String error,
            String transport,
            String transmissionId,
            String messageId,
            Instant finishedAt,
            boolean flagDuplicate,
            RecipientProgress progress) {}

    /**
     * Records an outcome and frees the lease, if this claim still holds it: a relay whose lease ran out (and whose
     * entry another relay may have claimed) records nothing.
     *
     * @return whether the outcome was recorded
     */
    boolean record(Claimed claim, Outcome o) throws SQLException {
        List<String> set = new ArrayList<>();
        List<Binder> values = new ArrayList<>();
        if (o.state() != null) {
            set.add("state = ?");
            values.add((ps, i) -> ps.setString(i, o.state().name()));
        }
        if (o.dueAt() != null) {
            set.add("due_at = ?");
            values.add((ps, i) -> setInstant(ps, i, o.dueAt()));
        }
        if (o.failure() != null) {
            set.add("last_failure = ?");
            values.add((ps, i) -> ps.setString(i, o.failure().name()));
            set.add("last_error = ?");
            values.add((ps, i) -> ps.setString(i, fit(o.error(), ERROR_WIDTH)));
        }
        if (o.transport() != null) {
            set.add("transport = ?, transmission_id = ?, message_id = ?");
            values.add((ps, i) -> ps.setString(i, fit(o.transport(), 64)));
            values.add((ps, i) -> ps.setString(i, fit(o.transmissionId(), 255)));
            values.add((ps, i) -> ps.setString(i, fit(o.messageId(), 998)));
        }
        if (o.finishedAt() != null) {
            set.add("finished_at = ?");
            values.add((ps, i) -> setInstant(ps, i, o.finishedAt()));
        }
        if (o.flagDuplicate()) {
            set.add("possible_duplicate = TRUE");
        }
        if (o.progress() != null) {
            set.add("delivered_to = ?, undelivered = ?");
            values.add((ps, i) -> ps.setString(i, o.progress().deliveredToJson()));
            values.add((ps, i) -> ps.setString(i, o.progress().undeliveredJson()));
        }
        set.add("lease_token = NULL, lease_until = NULL");
        return finish(claim, String.join(", ", set), values);
    }

    /**
     * Counts a try, as the relay starts to send a claimed entry, if this claim still holds it. Tries are counted here,
     * not at the claim: an entry claimed beside one whose relay died, and never started, has used no try.
     *
     * @return whether the claim still holds the entry (else it must not be sent)
     */
    boolean startTry(Claimed claim) throws SQLException {
        return finish(claim, "attempts = attempts + 1", List.of());
    }

    /**
     * Gives a claimed entry back as if it had not been claimed: due at once, not flagged; a try {@link #startTry
     * started} is taken back ({@code tried}).
     */
    boolean release(Claimed claim, boolean tried) throws SQLException {
        return finish(claim, (tried ? "attempts = attempts - 1, " : "") + HAND_BACK, List.of());
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    /** Updates a claimed entry if this claim still holds it. */
    private boolean finish(Claimed claim, String set, List<Binder> values) throws SQLException {
        String sql = "UPDATE " + table + " SET " + set + " WHERE id = ? AND lease_token = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int index = 1;
            for (Binder value : values) {
                value.bind(ps, index++);
            }
            ps.setString(index, claim.id());
            ps.setString(index + 1, claim.token());
            return ps.executeUpdate() == 1;
        }
    }

    // ---------------------------------------------------------------------------------------------- entries

    /** The entry of a message, without the message, or empty when the table does not hold it. */
    Optional<OutboxEntry> entry(String id) throws SQLException {
        List<OutboxEntry> found = entries("WHERE id = ?", ps -> ps.setString(1, id), 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The most recently enqueued entries, in every state, newest first, at most {@code limit}. */
    List<OutboxEntry> recentEntries(int limit) throws SQLException {
        return entries("ORDER BY enqueued_at DESC, id DESC", ps -> {}, limit);
    }

    /** Dead entries, the most recent deaths first, at most {@code limit}. */
    List<OutboxEntry> deadEntries(int limit) throws SQLException {
        return entries(
                "WHERE state = ? ORDER BY finished_at DESC, id", ps -> ps.setString(1, OutboxState.DEAD.name()), limit);
    }

    @FunctionalInterface
    private interface Parameters {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * The entries a clause selects, in its order, at most {@code limit}: a limit in the SQL (PostgreSQL and Derby both
     * know {@code FETCH FIRST}), so the database keeps only the first rows while it sorts.
     */
    private List<OutboxEntry> entries(String clause, Parameters parameters, int limit) throws SQLException {
        String sql =
                "SELECT " + ENTRY_COLUMNS + " FROM " + table + " " + clause + " FETCH FIRST " + limit + " ROWS ONLY";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.bind(ps);
            List<OutboxEntry> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(entry(rs));
                }
            }
            return found;
        }
    }

    /**
     * Makes a dead entry due again at {@code now}, with its tries counted from zero and its age from now; it keeps its
     * id, its possible-duplicate flag and its recipient progress (who got their copy does not get another).
     */
    boolean retryDead(String id, Instant now) throws SQLException {
        return update(
                        "UPDATE " + table + " SET state = ?, due_at = ?, retried_at = ?, attempts = 0,"
                                + " finished_at = NULL WHERE id = ? AND state = ?",
                        ps -> {
                            ps.setString(1, OutboxState.PENDING.name());
                            setInstant(ps, 2, now);
                            setInstant(ps, 3, now);
                            ps.setString(4, id);
                            ps.setString(5, OutboxState.DEAD.name());
                        })
                == 1;
    }

    /** Deletes one entry in a state; returns whether it was there. */
    boolean delete(String id, OutboxState state) throws SQLException {
        return update("DELETE FROM " + table + " WHERE id = ? AND state = ?", ps -> {
                    ps.setString(1, id);
                    ps.setString(2, state.name());
                })
                == 1;
    }

    /** Deletes the entries in a state that finished (were delivered, or died) before a time; returns how many. */
    int deleteFinishedBefore(OutboxState state, Instant before) throws SQLException {
        return update("DELETE FROM " + table + " WHERE state = ? AND finished_at < ?", ps -> {
            ps.setString(1, state.name());
            setInstant(ps, 2, before);
        });
    }

    private int update(String sql, Parameters parameters) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.bind(ps);
            return ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------------------------------------- mapping

    /** An entry as a record, from a row holding {@link #ENTRY_COLUMNS}. */
    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        String failure = rs.getString("last_failure");
        RecipientProgress progress = RecipientProgress.of(rs.getString("delivered_to"), rs.getString("undelivered"));
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
                instant(rs, "finished_at"),
                List.copyOf(progress.deliveredTo()),
                progress.undelivered(),
                rs.getString("stream"));
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
