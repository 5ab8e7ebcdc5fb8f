package io.mailpath.outbox;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends what an outbox holds: each {@link #drainOnce()} claims due entries under a lease, sends each through a
 * {@link MailTransport} and records the outcome. Any number of relays, on any number of servers, may drain one table:
 * an entry is claimed by one relay at a time, and claimed again only when its lease has run out.
 *
 * <p>Outcomes by {@link FailureKind}: delivered entries keep the transport and ids of the receipt; {@code REJECTED}
 * dies at once; {@code RATE_LIMITED} waits for the {@code Retry-After} the service gave (or the backoff when it gave
 * none); every other failure waits an exponential backoff with jitter, stored in the row so that it survives restarts.
 * An uncertain outcome (the message may have been accepted) flags the entry as a possible duplicate before it is sent
 * again with the same id. A failing entry dies after {@link OutboxSettings#maxAttempts()} tries or once older than
 * {@link OutboxSettings#maxAge()}.
 *
 * <p>The relay opens no threads: a container's scheduled executor calls {@link #drainOnce()}. Safe for concurrent
 * use.
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    private static final int ERROR_WIDTH = 1000;

    private final MailOutbox outbox;
    private final OutboxTable table;
    private final OutboxSettings settings;
    private final MailTransport transport;
    private final Consumer<OutboxEntry> onDead;
    private volatile boolean stopped;

    /**
     * A relay for an outbox.
     *
     * @param transport what sends each entry: in a container the routed {@code MailTransport}, with its failover
     * @param onDead told of each entry that dies, after its row is committed (a container fires a CDI event); its
     *     failures are logged and change nothing
     */
    public OutboxRelay(MailOutbox outbox, MailTransport transport, Consumer<OutboxEntry> onDead) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.table = outbox.table;
        this.settings = outbox.settings;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.onDead = Objects.requireNonNull(onDead, "onDead");
    }

    /**
     * Stops this relay: no drain claims anything after this, and a drain under way hands back the entries it claimed
     * and has not started sending (due at once, the try not counted, not flagged). A send under way finishes.
     */
    public void stop() {
        stopped = true;
    }

    /** Whether {@link #stop()} was called. */
    public boolean isStopped() {
        return stopped;
    }

    /** A relay that tells no one of dead entries (they are still kept and listed). */
    public OutboxRelay(MailOutbox outbox, MailTransport transport) {
        this(outbox, transport, dead -> {});
    }

    /**
     * Claims up to {@link OutboxSettings#batchSize()} due entries and sends each.
     *
     * @return how many entries were claimed (and sent, or given a later try, or dead)
     * @throws OutboxStorageException when the database fails before the claim; a failure recording an outcome leaves
     *     the entry to be claimed again once its lease runs out
     */
    public int drainOnce() {
        if (stopped) {
            return 0;
        }
        List<Claim> claims = claim(settings.batchSize());
        for (Claim claim : claims) {
            if (stopped) {
                // The application is stopping (its configuration may be gone already): what is not sent yet goes
                // back untried, for this server after its restart or for another one now.
                release(claim);
            } else if (settings.clock().instant().isBefore(claim.leaseUntil())) {
                send(claim);
            } else {
                // The batch's earlier sends outlasted the lease: another relay may hold this entry now, so sending
                // it here would make a second copy. Handed back untried instead (if no other relay took it).
                release(claim);
            }
        }
        return claims.size();
    }

    /**
     * Deletes the entries delivered longer ago than {@link OutboxSettings#deliveredRetention()}.
     *
     * @return how many were deleted
     */
    public int purgeDelivered() {
        Instant before = settings.clock().instant().minus(settings.deliveredRetention());
        return outbox.update(
                "DELETE FROM " + table.name + " WHERE state = ? AND finished_at < ?",
                "cannot purge delivered outbox entries",
                ps -> {
                    ps.setString(1, OutboxState.DELIVERED.name());
                    OutboxTable.setInstant(ps, 2, before);
                });
    }

    /** An entry this relay owns until {@code leaseUntil}, with its message. */
    record Claim(
            String id,
            String token,
            Instant leaseUntil,
            int attempts,
            boolean possibleDuplicate,
            Instant ageFrom,
            Mail mail) {}

    /**
     * Claims up to {@code max} due entries whose lease is free or expired. Each claim counts as a try, so an entry
     * whose relay dies mid-send still reaches {@link OutboxSettings#maxAttempts()}; an entry claimed again after an
     * expired lease is flagged possible duplicate, because its earlier relay may have sent it.
     */
    List<Claim> claim(int max) {
        Instant now = settings.clock().instant();
        Instant leaseUntil = now.plus(settings.lease());
        String token = UUID.randomUUID().toString();
        String due = " FROM " + table.name
                + " WHERE state = ? AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)";
        String take = "UPDATE " + table.name + " SET lease_token = ?, lease_until = ?, attempts = attempts + 1,"
                + " possible_duplicate = CASE WHEN lease_token IS NULL THEN possible_duplicate ELSE TRUE END"
                + " WHERE id = ?";
        List<String> claimed = new ArrayList<>();
        try (Connection c = table.dataSource.getConnection()) {
            if (table.dialect.skipLocked()) {
                // One short transaction: rows another relay is claiming right now are skipped, not waited for.
                c.setAutoCommit(false);
                try {
                    List<String> ids =
                            dueIds(c, "SELECT id" + due + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED", now, max);
                    try (PreparedStatement ps = c.prepareStatement(take)) {
                        for (String id : ids) {
                            bindTake(ps, token, leaseUntil, id);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    c.commit();
                    claimed.addAll(ids);
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } else {
                // Portable: a candidate is ours only if the update still finds its lease free (row count 1); another
                // relay that got there first leaves the row count at 0. More candidates than needed, for those lost.
                List<String> ids =
                        dueIds(c, "SELECT id" + due + " ORDER BY due_at FETCH FIRST ? ROWS ONLY", now, max * 2);
                try (PreparedStatement ps = c.prepareStatement(
                        take + " AND state = ? AND due_at <= ?" + " AND (lease_until IS NULL OR lease_until <= ?)")) {
                    for (String id : ids) {
                        if (claimed.size() == max) {
                            break;
                        }
                        bindTake(ps, token, leaseUntil, id);
                        ps.setString(4, OutboxState.PENDING.name());
                        OutboxTable.setInstant(ps, 5, now);
                        OutboxTable.setInstant(ps, 6, now);
                        if (ps.executeUpdate() == 1) {
                            claimed.add(id);
                        }
                    }
                }
            }
            List<Claim> claims = new ArrayList<>(claimed.size());
            for (String id : claimed) {
                load(c, id, token, leaseUntil).ifPresent(claims::add);
            }
            return claims;
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot claim outbox entries", e);
        }
    }

    private List<String> dueIds(Connection c, String sql, Instant now, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, OutboxState.PENDING.name());
            OutboxTable.setInstant(ps, 2, now);
            OutboxTable.setInstant(ps, 3, now);
            ps.setInt(4, max);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private static void bindTake(PreparedStatement ps, String token, Instant leaseUntil, String id)
            throws SQLException {
        ps.setString(1, token);
        OutboxTable.setInstant(ps, 2, leaseUntil);
        ps.setString(3, id);
    }

    private Optional<Claim> load(Connection c, String id, String token, Instant leaseUntil) throws SQLException {
        String sql = "SELECT mail_json, attachments, attempts, possible_duplicate, enqueued_at, retried_at FROM "
                + table.name + " WHERE id = ? AND lease_token = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, token);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String json = rs.getString("mail_json");
                byte[] attachments;
                try (InputStream in = rs.getBinaryStream("attachments")) {
                    attachments = in == null ? new byte[0] : in.readAllBytes();
                } catch (IOException e) {
                    throw new SQLException("cannot read the attachments of outbox entry " + id, e);
                }
                Instant retried = OutboxTable.instant(rs, "retried_at");
                Instant ageFrom = retried != null ? retried : OutboxTable.instant(rs, "enqueued_at");
                int attempts = rs.getInt("attempts");
                boolean possibleDuplicate = rs.getBoolean("possible_duplicate");
                Mail mail;
                try {
                    mail = MailCodec.decode(json, attachments);
                } catch (RuntimeException e) {
                    // A row no relay can read would be claimed forever: it dies now, kept for someone to look at.
                    LOG.log(Level.WARNING, "Outbox entry " + id + " cannot be read back; it is dead", e);
                    Claim unreadable = new Claim(id, token, leaseUntil, attempts, possibleDuplicate, ageFrom, null);
                    die(unreadable, FailureKind.REJECTED, "stored form unreadable: " + e.getMessage());
                    return Optional.empty();
                }
                return Optional.of(new Claim(id, token, leaseUntil, attempts, possibleDuplicate, ageFrom, mail));
            }
        }
    }

    /** Sends one claimed entry and records the outcome, unless the lease was lost meanwhile. */
    void send(Claim claim) {
        SendReceipt receipt;
        try {
            receipt = transport.send(claim.mail());
        } catch (MailException e) {
            failed(
                    claim,
                    e.kind(),
                    e.getMessage(),
                    e instanceof MailRateLimitedException r ? r.retryAfter() : Optional.empty());
            return;
        } catch (RuntimeException e) {
            // Nothing says whether the message left before this: treated as uncertain, so a resend is flagged.
            failed(claim, FailureKind.UNCERTAIN, e.toString(), Optional.empty());
            return;
        }
        delivered(claim, receipt);
    }

    private void delivered(Claim claim, SendReceipt receipt) {
        Instant now = settings.clock().instant();
        boolean recorded = finish(
                claim,
                "state = ?, transport = ?, transmission_id = ?, message_id = ?, finished_at = ?"
                        + flagDuplicate(receipt.possibleDuplicate()),
                ps -> {
                    ps.setString(1, OutboxState.DELIVERED.name());
                    ps.setString(2, OutboxTable.fit(receipt.transport(), 64));
                    ps.setString(3, OutboxTable.fit(receipt.transmissionId(), 255));
                    ps.setString(4, OutboxTable.fit(receipt.messageId(), 998));
                    OutboxTable.setInstant(ps, 5, now);
                    return 6;
                });
        if (!recorded) {
            LOG.warning("Outbox entry " + claim.id() + " was delivered by " + receipt.transport()
                    + " after its lease ran out; another relay may send it again (flagged possible duplicate)");
        }
    }

    private void failed(Claim claim, FailureKind kind, String detail, Optional<Duration> retryAfter) {
        Instant now = settings.clock().instant();
        if (kind == FailureKind.REJECTED) {
            die(claim, kind, detail);
            return;
        }
        if (claim.attempts() >= settings.maxAttempts()) {
            die(claim, kind, detail + " (after " + claim.attempts() + " tries)");
            return;
        }
        if (!now.isBefore(claim.ageFrom().plus(settings.maxAge()))) {
            die(claim, kind, detail + " (older than " + settings.maxAge() + ")");
            return;
        }
        Instant dueAt = now.plus(retryAfter.orElseGet(() -> backoff(claim.attempts())));
        boolean recorded = finish(
                claim,
                "due_at = ?, last_failure = ?, last_error = ?" + flagDuplicate(kind == FailureKind.UNCERTAIN),
                ps -> {
                    OutboxTable.setInstant(ps, 1, dueAt);
                    ps.setString(2, kind.name());
                    ps.setString(3, OutboxTable.fit(detail, ERROR_WIDTH));
                    return 4;
                });
        if (recorded) {
            LOG.fine(() -> "Outbox entry " + claim.id() + " failed (" + kind + "); next try at " + dueAt);
        }
    }

    /**
     * The wait after the {@code attempts}-th failing try: the initial backoff doubled per earlier try, capped, and
     * drawn at random from its upper half, so that entries failing together do not come back together.
     */
    Duration backoff(int attempts) {
        long initial = settings.initialBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        int doublings = Math.min(Math.max(attempts - 1, 0), 62);
        long full = initial > (cap >> doublings) ? cap : Math.min(cap, initial << doublings);
        long half = full / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
    }

    private void die(Claim claim, FailureKind kind, String detail) {
        Instant now = settings.clock().instant();
        boolean recorded = finish(
                claim,
                "state = ?, last_failure = ?, last_error = ?, finished_at = ?"
                        + flagDuplicate(kind == FailureKind.UNCERTAIN),
                ps -> {
                    ps.setString(1, OutboxState.DEAD.name());
                    ps.setString(2, kind.name());
                    ps.setString(3, OutboxTable.fit(detail, ERROR_WIDTH));
                    OutboxTable.setInstant(ps, 4, now);
                    return 5;
                });
        if (!recorded) {
            return;
        }
        LOG.warning("Outbox entry " + claim.id() + " is dead: " + kind + ": " + OutboxTable.fit(detail, ERROR_WIDTH));
        outbox.entry(claim.id()).ifPresent(entry -> {
            try {
                onDead.accept(entry);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A dead-entry listener failed for outbox entry " + claim.id(), e);
            }
        });
    }

    /** The SET clause's part that flags a possible duplicate, when the outcome says the message may have left. */
    private static String flagDuplicate(boolean mayHaveLeft) {
        return mayHaveLeft ? ", possible_duplicate = TRUE" : "";
    }

    /** Binds the SET clause's parameters and returns the index of the next one. */
    @FunctionalInterface
    private interface SetBinder {
        int bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * Records an outcome and frees the lease, if this claim still holds it: a relay whose lease ran out (and whose
     * entry another relay claimed) records nothing.
     *
     * @return whether the outcome was recorded
     */
    /** Gives a claimed entry back as if it had not been claimed: due at once, the try not counted, not flagged. */
    private void release(Claim claim) {
        finish(claim, "attempts = attempts - 1", ps -> 1);
    }

    private boolean finish(Claim claim, String set, SetBinder binder) {
        String sql = "UPDATE " + table.name + " SET " + set + ", lease_token = NULL, lease_until = NULL"
                + " WHERE id = ? AND lease_token = ?";
        try (Connection c = table.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int next = binder.bind(ps);
            ps.setString(next, claim.id());
            ps.setString(next + 1, claim.token());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            // The lease runs out and another try follows: at least once, never lost.
            LOG.log(Level.WARNING, "Cannot record the outcome of outbox entry " + claim.id(), e);
            return false;
        }
    }
}
