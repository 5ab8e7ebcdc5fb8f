package io.mailpath.outbox;

import io.mailpath.Mail;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
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
 * <p>Each entry belongs to a stream, the one its message names ({@link Mail#stream()}): the unnamed stream unless the
 * message was admitted into a named one. In a container, {@code @Inject @MailStream("marketing") MailOutbox} admits
 * each message through that stream's routing ({@link #admitting}), and the relay sends each entry through its own
 * stream.
 *
 * <p>Safe for concurrent use.
 */
public final class MailOutbox {
    /** The name errors from the outbox carry as their transport. */
    public static final String TRANSPORT_NAME = "outbox";

    final OutboxStore store;
    final OutboxSettings settings;
    private final Consumer<String> onEnqueued;
    private final UnaryOperator<Mail> admission;

    /**
     * An outbox on a data source. With {@link OutboxSettings#createSchema()} on (the default) it creates its table
     * when absent and migrates one an earlier Mailpath created, rows included; with it off, it checks that the table
     * has every column it needs.
     *
     * @throws OutboxStorageException when the database cannot be reached, or the table cannot be created, migrated,
     *     or lacks columns
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
     * @throws OutboxStorageException when the database cannot be reached, or the table cannot be created, migrated,
     *     or lacks columns
     * @throws IllegalArgumentException when the database is not one the outbox supports
     */
    public MailOutbox(DataSource dataSource, OutboxSettings settings, Consumer<String> onEnqueued) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onEnqueued = Objects.requireNonNull(onEnqueued, "onEnqueued");
        this.admission = UnaryOperator.identity();
        Objects.requireNonNull(dataSource, "dataSource");
        try {
            OutboxDialect dialect;
            try (Connection c = dataSource.getConnection()) {
                dialect = OutboxDialect.of(c);
            }
            this.store = new OutboxStore(dataSource, settings.table(), dialect);
            if (settings.createSchema()) {
                store.migrate();
            } else {
                store.requireCurrentSchema();
            }
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot set up the outbox table " + settings.table(), e);
        }
    }

    private MailOutbox(MailOutbox outbox, UnaryOperator<Mail> admission) {
        this.store = outbox.store;
        this.settings = outbox.settings;
        this.onEnqueued = outbox.onEnqueued;
        this.admission = admission;
    }

    /**
     * This outbox, on the same table, with each message passed through {@code admission} before anything is stored:
     * what it returns is stored, in the stream it names ({@link Mail#stream()}); what it throws reaches the caller of
     * {@code enqueue}, and nothing is stored. A container's {@code @MailStream("marketing") MailOutbox} admits through
     * the stream's routing, which checks the stream's sending domains and stamps the message with the stream (so that
     * a message the stream would refuse is refused now, not at its first send); without one, {@code mail ->
     * mail.inStream("marketing")} puts each message in a stream.
     */
    public MailOutbox admitting(UnaryOperator<Mail> admission) {
        return new MailOutbox(this, Objects.requireNonNull(admission, "admission"));
    }

    /** The dialect found on the data source. */
    public OutboxDialect dialect() {
        return store.dialect;
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
     * @throws io.mailpath.MailException what the {@link #admitting admission} refused the message with; nothing is
     *     written
     * @throws MessageTooLargeException above {@link OutboxSettings#maxMessageBytes()}; nothing is written
     * @throws DuplicateMailIdException when the outbox already holds this id (also a delivered one, until it is
     *     purged after {@link OutboxSettings#deliveredRetention()}); the caller's transaction is left usable
     * @throws OutboxStorageException when the database fails
     */
    public String enqueue(Mail mail) {
        try (Connection c = store.dataSource.getConnection()) {
            return enqueue(c, mail);
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot enqueue mail " + mail.id(), e);
        }
    }

    /**
     * Stores the whole message on the caller's connection, in its transaction: the caller commits or rolls back; the
     * connection's auto-commit and transaction are left as they were, also when the id is a duplicate.
     *
     * @return the message's id
     * @throws io.mailpath.MailException what the {@link #admitting admission} refused the message with (a
     *     {@code SendingDomainException} when the From address is outside the stream's sending domains); nothing is
     *     written
     * @throws MessageTooLargeException above {@link OutboxSettings#maxMessageBytes()}; nothing is written
     * @throws DuplicateMailIdException when the outbox already holds this id (also a delivered one, until it is
     *     purged after {@link OutboxSettings#deliveredRetention()})
     * @throws OutboxStorageException when the database fails
     */
    public String enqueue(Connection connection, Mail mail) {
        mail = admission.apply(Objects.requireNonNull(mail, "mail"));
        MailCodec.Stored stored = MailCodec.encode(mail);
        long size = stored.size();
        if (size > settings.maxMessageBytes()) {
            throw new MessageTooLargeException(mail.id(), size, settings.maxMessageBytes());
        }
        boolean inserted;
        try {
            inserted = store.insert(
                    connection,
                    mail.id(),
                    mail.stream(),
                    stored,
                    size,
                    settings.clock().instant());
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot enqueue mail " + mail.id(), e);
        }
        if (!inserted) {
            throw new DuplicateMailIdException(mail.id(), null);
        }
        onEnqueued.accept(mail.id());
        return mail.id();
    }

    /** The entry of a message, without the message, or empty when the outbox does not hold it (or purged it). */
    public Optional<OutboxEntry> entry(String id) {
        try {
            return store.entry(id);
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
        try {
            return store.recentEntries(positiveLimit(limit));
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot list recent outbox entries", e);
        }
    }

    /**
     * Dead entries, the most recent deaths first, at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public List<OutboxEntry> deadEntries(int limit) {
        try {
            return store.deadEntries(positiveLimit(limit));
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot list dead outbox entries", e);
        }
    }

    private static int positiveLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        return limit;
    }

    /**
     * Makes a dead entry due again at once, with its tries counted from zero and its age from now; it keeps its id,
     * its possible-duplicate flag, and which recipients got their copy (they get no second one).
     *
     * @return whether a dead entry with this id was there
     */
    public boolean retryDead(String id) {
        try {
            return store.retryDead(id, settings.clock().instant());
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot retry outbox entry " + id, e);
        }
    }

    /**
     * Deletes a dead entry.
     *
     * @return whether a dead entry with this id was there
     */
    public boolean purgeDead(String id) {
        try {
            return store.delete(id, OutboxState.DEAD);
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot purge outbox entry " + id, e);
        }
    }

    /**
     * Deletes the entries that died before a time.
     *
     * @return how many were deleted
     */
    public int purgeDead(Instant diedBefore) {
        try {
            return store.deleteFinishedBefore(OutboxState.DEAD, diedBefore);
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot purge dead outbox entries", e);
        }
    }
}
