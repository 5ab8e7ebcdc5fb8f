package io.mailpath.outbox;

import io.mailpath.Address;
import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import io.mailpath.outbox.OutboxStore.Claimed;
import io.mailpath.outbox.OutboxStore.Outcome;
import io.mailpath.outbox.OutboxStore.StoredMessage;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends what an outbox holds: each {@link #drainOnce()} claims due entries under a lease, sends each through a
 * {@link MailTransport} and records the outcome. Any number of relays, on any number of servers, may drain one table:
 * an entry is claimed by one relay at a time, and claimed again only when its lease has run out.
 *
 * <p>Outcomes by {@link FailureKind}: delivered entries keep the transport and ids of the receipt; {@code REJECTED}
 * dies at once (a path that cannot carry the message is not a rejection: the routed transport reports the kind of the
 * paths it tried); {@code RATE_LIMITED} waits for the {@code Retry-After} the service gave (or the backoff when it gave
 * none); every other failure waits an exponential backoff with jitter, stored in the row so that it survives restarts.
 * An uncertain outcome (the message may have been accepted) flags the entry as a possible duplicate before it is sent
 * again with the same id. A failing entry dies after {@link OutboxSettings#maxAttempts()} tries or once older than
 * {@link OutboxSettings#maxAge()}; so does an entry whose relay stopped mid-send on every one of its tries (a message
 * that brings its relay down must not bring down every server in turn).
 *
 * <p>Progress is kept per recipient: when a transport reaches some recipients and not others (a greylisting 451 for
 * one, a lost connection before one copy of a message sent once per recipient), the entry records who got their copy
 * and stays pending for the others; later tries send only to them, never a second copy to the rest. Recipients refused
 * for good ({@code REJECTED}) are listed in the entry and not tried again.
 *
 * <p>Each entry of a batch is read from the database just before it is sent and dropped after, so that the memory a
 * relay needs does not grow with the batch.
 *
 * <p>Each entry is sent through the transport of its own stream ({@link OutboxEntry#stream()}), so a named stream's
 * entry goes out with that stream's keys, transports and sending domains. An entry whose stream is not configured
 * (any more) is not lost: it fails as a configuration error does, with the stream named in its error and in a
 * warning, waits its backoff and is tried again (dead, and kept, after {@link OutboxSettings#maxAttempts()} tries or
 * {@link OutboxSettings#maxAge()}; {@link MailOutbox#retryDead} brings it back once the stream is configured again).
 *
 * <p>The relay opens no threads: a container's scheduled executor calls {@link #drainOnce()}. Safe for concurrent
 * use.
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

    private final OutboxStore store;
    private final OutboxSettings settings;
    private final Function<String, MailTransport> streams;
    private final Consumer<OutboxEntry> onDead;
    private volatile boolean stopped;
    /** Claimed entries whose send has not started: {@link #stop()} hands them back at once. */
    private final Set<Claimed> notStarted = ConcurrentHashMap.newKeySet();

    /**
     * A relay for an outbox that sends every entry, whatever its stream, through one transport (each message carries
     * its stream, {@link Mail#stream()}).
     *
     * @param transport what sends each entry: in a container the routed {@code MailTransport}, with its failover
     * @param onDead told of each entry that dies, after its row is committed (a container fires a CDI event); its
     *     failures are logged and change nothing
     */
    public OutboxRelay(MailOutbox outbox, MailTransport transport, Consumer<OutboxEntry> onDead) {
        this(oneFor(Objects.requireNonNull(transport, "transport")), outbox, onDead);
    }

    /**
     * A relay for an outbox that sends each entry through its own stream's transport.
     *
     * @param streams the transport of a stream, by its name ({@value io.mailpath.MailStream#DEFAULT} for the unnamed
     *     one); in a container the routed transport of each stream. It throws {@link MailConfigurationException} for a
     *     stream that is not configured: the entry waits its backoff and is tried again
     * @param onDead told of each entry that dies, after its row is committed; its failures are logged and change
     *     nothing
     */
    public static OutboxRelay byStream(
            MailOutbox outbox, Function<String, MailTransport> streams, Consumer<OutboxEntry> onDead) {
        return new OutboxRelay(streams, outbox, onDead);
    }

    /** Both forms' constructor: a factory names the per-stream one, since a lambda would fit either constructor. */
    private OutboxRelay(Function<String, MailTransport> streams, MailOutbox outbox, Consumer<OutboxEntry> onDead) {
        this.store = Objects.requireNonNull(outbox, "outbox").store;
        this.settings = outbox.settings;
        this.streams = Objects.requireNonNull(streams, "streams");
        this.onDead = Objects.requireNonNull(onDead, "onDead");
    }

    private static Function<String, MailTransport> oneFor(MailTransport transport) {
        return stream -> transport;
    }

    /**
     * Stops this relay: no drain claims anything after this, and the entries drains claimed and have not started
     * sending are handed back now (due at once, the try not counted, not flagged). A send under way finishes.
     */
    public void stop() {
        stopped = true;
        for (Claimed claim : notStarted) {
            if (notStarted.remove(claim)) {
                release(claim);
            }
        }
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
     * Claims up to {@link OutboxSettings#batchSize()} due entries and sends each. A failure with one entry (its row
     * cannot be read or updated) is logged and does not hold up the others.
     *
     * @return how many entries were claimed (and sent, or given a later try, or dead, or handed back)
     * @throws OutboxStorageException when the database fails at the claim; a failure recording an outcome leaves the
     *     entry to be claimed again once its lease runs out
     */
    public int drainOnce() {
        if (stopped) {
            return 0;
        }
        List<Claimed> claims = claim(settings.batchSize());
        notStarted.addAll(claims);
        for (Claimed claim : claims) {
            if (!notStarted.remove(claim)) {
                continue; // handed back by stop()
            }
            try {
                if (stopped) {
                    // The application is stopping (its configuration may be gone already): what is not sent yet
                    // goes back untried, for this server after its restart or for another one now.
                    release(claim);
                } else if (settings.clock().instant().isBefore(claim.leaseUntil())) {
                    send(claim);
                } else {
                    // The batch's earlier sends outlasted the lease: another relay may hold this entry now, so
                    // sending it here would make a second copy. Handed back untried instead (if no other relay took
                    // it).
                    release(claim);
                }
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Outbox entry " + claim.id()
                                + " could not be relayed; it is tried again once its lease runs out",
                        e);
            }
        }
        return claims.size();
    }

    /**
     * Deletes the entries delivered longer ago than {@link OutboxSettings#deliveredRetention()}. Until then the id of a
     * delivered message is refused by {@link MailOutbox#enqueue}; after it, the same id can be enqueued and is sent
     * again.
     *
     * @return how many were deleted
     */
    public int purgeDelivered() {
        Instant before = settings.clock().instant().minus(settings.deliveredRetention());
        try {
            return store.deleteFinishedBefore(OutboxState.DELIVERED, before);
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot purge delivered outbox entries", e);
        }
    }

    /**
     * Claims up to {@code max} due entries whose lease is free or expired, under a new lease (see {@link
     * OutboxStore#claim}): each claim counts as a try; an entry claimed again after an expired lease is flagged
     * possible duplicate.
     */
    List<Claimed> claim(int max) {
        Instant now = settings.clock().instant();
        try {
            return store.claim(max, UUID.randomUUID().toString(), now, now.plus(settings.lease()));
        } catch (SQLException e) {
            throw new OutboxStorageException("cannot claim outbox entries", e);
        }
    }

    /** Reads one claimed entry's message, sends it to the recipients it has not reached, and records the outcome. */
    void send(Claimed claimed) {
        if (claimed.attempts() >= settings.maxAttempts()) {
            // Still pending after its last try: that try ended without an outcome, its relay stopped mid-send (or
            // could not record) on each of them.
            die(
                    claimed,
                    FailureKind.UNCERTAIN,
                    "its relay stopped mid-send on each of its " + claimed.attempts() + " tries (max-attempts "
                            + settings.maxAttempts() + ")",
                    true,
                    null);
            return;
        }
        Claimed claim = startTry(claimed);
        if (claim == null) {
            return; // the lease ran out and another relay took it
        }
        StoredMessage stored;
        try {
            Optional<StoredMessage> found = store.message(claim);
            if (found.isEmpty()) {
                return; // the lease ran out and another relay took it
            }
            stored = found.get();
        } catch (SQLException e) {
            release(claim, true); // not sent: handed back rather than left leased and flagged
            throw new OutboxStorageException("cannot read outbox entry " + claim.id(), e);
        }
        String stream = claim.entry().stream();
        Mail mail;
        try {
            mail = MailCodec.decode(stored.json(), stored.attachments()).inStream(stream);
        } catch (RuntimeException e) {
            // A row no relay can read would be claimed forever: it dies now, kept for someone to look at.
            LOG.log(Level.WARNING, "Outbox entry " + claim.id() + " cannot be read back; it is dead", e);
            die(claim, FailureKind.REJECTED, "stored form unreadable: " + e.getMessage(), false, null);
            return;
        }
        RecipientProgress progress = stored.progress();
        stored = null; // the stored bytes are not kept while the message is sent
        if (!progress.deliveredTo().isEmpty() && progress.stillToTry(mail).isEmpty()) {
            // Every recipient was reached or refused for good already: nothing left to send.
            record(claim, delivery(progress, null, false));
            return;
        }
        MailTransport transport;
        try {
            transport = streams.apply(stream);
        } catch (MailConfigurationException e) {
            unconfiguredStream(claim, stream, progress, e);
            return;
        }
        SendReceipt receipt;
        try {
            // Stamped again: a copy for fewer recipients is a new message.
            receipt = transport.send(progress.remaining(mail).inStream(stream));
        } catch (MailException e) {
            failed(claim, mail, progress, e);
            return;
        } catch (RuntimeException e) {
            // Nothing says whether the message left before this: treated as uncertain, so a resend is flagged.
            retryOrDie(claim, FailureKind.UNCERTAIN, e.toString(), Optional.empty(), true, progress, null);
            return;
        }
        delivered(claim, mail, progress.after(receipt), receipt);
    }

    /**
     * An entry whose stream this server does not know (its configuration changed since the enqueue, or differs
     * between servers): nothing was sent, so it is not flagged; it waits like any configuration failure, and says so.
     */
    private void unconfiguredStream(
            Claimed claim, String stream, RecipientProgress progress, MailConfigurationException e) {
        if (stopped) {
            release(claim, true); // the configuration goes away while the application stops
            return;
        }
        LOG.warning("Outbox entry " + claim.id() + " belongs to stream '" + stream
                + "', which cannot send here; it is kept and tried again after a backoff (dead after "
                + settings.maxAttempts() + " tries, and kept): " + e.getMessage());
        retryOrDie(
                claim,
                FailureKind.CONFIGURATION,
                "stream '" + stream + "': " + e.getMessage(),
                Optional.empty(),
                false,
                progress,
                null);
    }

    private void delivered(Claimed claim, Mail mail, RecipientProgress progress, SendReceipt receipt) {
        List<Address> left = progress.stillToTry(mail);
        if (left.isEmpty()) {
            if (!record(claim, delivery(progress, receipt, receipt.possibleDuplicate()))) {
                LOG.warning("Outbox entry " + claim.id() + " was delivered by " + receipt.transport()
                        + " after its lease ran out; another relay may send it again (flagged possible duplicate)");
            }
            return;
        }
        // Some recipients got their copy, others did not yet: the entry goes on for them only.
        List<RejectedRecipient> missing = progress.undelivered().stream()
                .filter(r -> r.kind() != FailureKind.REJECTED)
                .toList();
        FailureKind kind = missing.stream()
                .map(RejectedRecipient::kind)
                .max(Comparator.comparingInt(OutboxRelay::urgency))
                .orElse(FailureKind.UNAVAILABLE);
        String detail = left.size() + " of " + mail.allRecipients().size() + " recipients not reached yet ("
                + describe(missing) + ")";
        retryOrDie(
                claim,
                kind,
                detail,
                longestWaitAsked(receipt),
                receipt.possibleDuplicate() || progress.anyUncertain(),
                progress,
                receipt);
    }

    /** The longest wait a path of this send asked for (a 429 before the failover that delivered), if any. */
    private static Optional<Duration> longestWaitAsked(SendReceipt receipt) {
        return receipt.attempts().stream()
                .map(Attempt::retryAfter)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder());
    }

    /** Which failure of a recipient decides how the entry goes on: one that may have delivered wins. */
    private static int urgency(FailureKind kind) {
        return switch (kind) {
            case UNCERTAIN -> 3;
            case RATE_LIMITED -> 2;
            case UNAVAILABLE -> 1;
            default -> 0;
        };
    }

    /** Kinds and codes only: recipients' addresses are kept in the row's own column, not in its error text. */
    private static String describe(List<RejectedRecipient> missing) {
        List<String> parts = new ArrayList<>();
        for (RejectedRecipient r : missing) {
            parts.add(r.kind() + (r.status() == MailException.NO_STATUS ? "" : " " + r.status()));
        }
        return String.join(", ", parts);
    }

    private Outcome delivery(RecipientProgress progress, SendReceipt receipt, boolean flag) {
        return new Outcome(
                OutboxState.DELIVERED,
                null,
                null,
                null,
                receipt == null ? null : receipt.transport(),
                receipt == null ? null : receipt.transmissionId(),
                receipt == null ? null : receipt.messageId(),
                settings.clock().instant(),
                flag,
                progress);
    }

    private void failed(Claimed claim, Mail mail, RecipientProgress progress, MailException e) {
        FailureKind kind = kindForTheOutbox(e);
        if (kind == FailureKind.CONFIGURATION && stopped) {
            // The application's configuration goes away while it stops: not the entry's failure, no try used.
            release(claim, true);
            return;
        }
        if (kind == FailureKind.REJECTED) {
            if (progress.deliveredTo().isEmpty()) {
                die(claim, kind, e.getMessage(), false, progress);
                return;
            }
            // The copy for the recipients still missing was refused as a whole: refused for good, the others have
            // theirs.
            record(claim, delivery(progress.refusedForGood(progress.stillToTry(mail), e), null, false));
            return;
        }
        retryOrDie(claim, kind, e.getMessage(), e.retryAfter(), kind == FailureKind.UNCERTAIN, progress, null);
    }

    /**
     * The failure's kind as the outbox acts on it. A rejection by a later path, after an earlier path failed only for
     * now (an API 503, then SMTP's 554), is not final: the earlier path may take the message at the next try, and
     * rejects it itself if the message is wrong. A routed send tells a direct caller the last path's kind; a durable
     * outbox waits for the path that can carry it.
     */
    private static FailureKind kindForTheOutbox(MailException e) {
        if (e.kind() != FailureKind.REJECTED) {
            return e.kind();
        }
        // Empty unless the send failed over.
        for (Attempt a : e.attempts()) {
            if (!a.skipped() && a.failure() != null && a.failure() != FailureKind.REJECTED) {
                return a.failure();
            }
        }
        return FailureKind.REJECTED;
    }

    /**
     * Gives the entry its next try after the {@code Retry-After} or the backoff, or lets it die when it has had its
     * tries or its time; the recipient progress and, when there was one, the latest receipt's ids are kept.
     */
    private void retryOrDie(
            Claimed claim,
            FailureKind kind,
            String detail,
            Optional<Duration> retryAfter,
            boolean flag,
            RecipientProgress progress,
            SendReceipt receipt) {
        Instant now = settings.clock().instant();
        if (claim.attempts() >= settings.maxAttempts()) {
            die(claim, kind, detail + " (after " + claim.attempts() + " tries)", flag, progress);
            return;
        }
        if (!now.isBefore(claim.ageFrom().plus(settings.maxAge()))) {
            die(claim, kind, detail + " (older than " + settings.maxAge() + ")", flag, progress);
            return;
        }
        // A wait a service asked for (also through a failover) is honoured: the next try goes to that path first. A
        // rate-limited entry waits just that; one that failed otherwise too waits its backoff at least.
        Duration backoff = backoff(claim.attempts());
        Duration wait = kind == FailureKind.RATE_LIMITED && retryAfter.isPresent()
                ? retryAfter.get()
                : retryAfter.filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff);
        Instant dueAt = now.plus(wait);
        boolean recorded = record(
                claim,
                new Outcome(
                        null,
                        dueAt,
                        kind,
                        detail,
                        receipt == null ? null : receipt.transport(),
                        receipt == null ? null : receipt.transmissionId(),
                        receipt == null ? null : receipt.messageId(),
                        null,
                        flag,
                        progress));
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

    /**
     * Records the entry dead and tells the listener, with the entry as recorded (built from the claim, not read back:
     * a database that fails after the death was recorded must not keep the news from the listener).
     */
    private void die(Claimed claim, FailureKind kind, String detail, boolean flag, RecipientProgress progress) {
        Instant now = settings.clock().instant();
        String error = OutboxStore.fit(detail, OutboxStore.ERROR_WIDTH);
        boolean recorded =
                record(claim, new Outcome(OutboxState.DEAD, null, kind, detail, null, null, null, now, flag, progress));
        if (!recorded) {
            return;
        }
        LOG.warning("Outbox entry " + claim.id() + " is dead: " + kind + ": " + error);
        try {
            onDead.accept(claim.entry().dead(claim.attempts(), kind, error, now, flag, progress));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A dead-entry listener failed for outbox entry " + claim.id(), e);
        }
    }

    /** Records an outcome if the claim still holds its lease; a database failure is logged (the lease runs out). */
    private boolean record(Claimed claim, Outcome outcome) {
        try {
            return store.record(claim, outcome);
        } catch (SQLException e) {
            // The lease runs out and another try follows: at least once, never lost.
            LOG.log(Level.WARNING, "Cannot record the outcome of outbox entry " + claim.id(), e);
            return false;
        }
    }

    /**
     * Counts the try this claim is starting, before the message is even read (a message whose reading brings the relay
     * down must use up its tries too).
     *
     * @return the claim with its try counted, or null when the lease was lost meanwhile
     */
    private Claimed startTry(Claimed claim) {
        try {
            if (!store.startTry(claim)) {
                return null;
            }
        } catch (SQLException e) {
            release(claim, false);
            throw new OutboxStorageException("cannot start sending outbox entry " + claim.id(), e);
        }
        return new Claimed(
                claim.id(),
                claim.token(),
                claim.leaseUntil(),
                claim.attempts() + 1,
                claim.possibleDuplicate(),
                claim.ageFrom(),
                claim.entry());
    }

    /** Gives a claimed entry back: due at once, not flagged, its try ({@code tried}) not counted. */
    private void release(Claimed claim) {
        release(claim, false);
    }

    private void release(Claimed claim, boolean tried) {
        try {
            store.release(claim, tried);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Cannot hand back outbox entry " + claim.id() + "; its lease runs out", e);
        }
    }
}
