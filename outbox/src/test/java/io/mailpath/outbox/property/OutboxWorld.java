package io.mailpath.outbox.property;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import io.mailpath.outbox.OutboxRelay;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.outbox.OutboxState;
import io.mailpath.outbox.OutboxStorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * One generated run of the outbox: two servers (each its own {@link MailOutbox} and relay) on one table of a real
 * database that fails where the script says, sending through the real routed {@code MailTransport} to two scripted
 * paths, on a clock the script moves. The actions ({@link OutboxActions}) enqueue, drain, move the clock and arm
 * database faults; {@link #settle()} then stops every passing fault and lets the relays finish, and
 * {@link #violations()} checks the outbox's promise against what the peers received.
 */
final class OutboxWorld {
    static final String TABLE = "property_outbox";
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration INITIAL_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    static final int MAX_ATTEMPTS = 5;
    static final int BATCH_SIZE = 3;
    /** Longer than every lease, backoff and scripted {@code Retry-After}: one settling step makes everything due. */
    static final Duration SETTLE_STEP = Duration.ofMinutes(61);
    /** Enough settling steps for an entry failing every try to reach {@link #MAX_ATTEMPTS}, and more. */
    static final int SETTLE_ROUNDS = 2 * MAX_ATTEMPTS + 4;

    /** What a relay's transport throws when the script kills it mid-send: an Error, which no relay catches. */
    static final class RelayDied extends Error {
        RelayDied(String what) {
            super(what, null, false, false);
        }
    }

    /** One server's relay: replaced (the server restarted) once it died or was stopped. */
    private final class Slot {
        final String name;
        final MailOutbox outbox;
        OutboxRelay relay;
        boolean gone = true;
        int generation;

        Slot(String name, MailOutbox outbox) {
            this.name = name;
            this.outbox = outbox;
        }

        OutboxRelay relay() {
            if (gone) {
                generation++;
                DyingTransport transport = new DyingTransport(this);
                relay = new OutboxRelay(outbox, transport, entry -> deaths.merge(entry.id(), 1, Integer::sum));
                gone = false;
            }
            return relay;
        }

        String label() {
            return name + generation;
        }
    }

    /** The routed transport as one relay sees it: the script may kill or stop that relay while it sends. */
    private final class DyingTransport implements MailTransport {
        private final Slot slot;

        DyingTransport(Slot slot) {
            this.slot = slot;
        }

        @Override
        public SendReceipt send(Mail mail) {
            MessagePlan.RelayEnd end = nextRelayEnd(mail.id());
            if (end == MessagePlan.RelayEnd.DIES_BEFORE_SEND) {
                failedTries.merge(mail.id(), 1, Integer::sum);
                throw new RelayDied("relay " + slot.label() + " dies before sending " + mail.id());
            }
            if (end == MessagePlan.RelayEnd.STOPPED_DURING_SEND) {
                story.add("  relay " + slot.label() + " is stopped while it sends " + mail.id());
                slot.relay.stop();
                slot.gone = true;
            }
            SendReceipt receipt;
            try {
                receipt = routed.send(mail);
            } catch (RuntimeException e) {
                failedTries.merge(mail.id(), 1, Integer::sum);
                if (end != MessagePlan.RelayEnd.DIES_AFTER_SEND) {
                    throw e;
                }
                receipt = null;
            }
            if (end == MessagePlan.RelayEnd.DIES_AFTER_SEND) {
                // Whatever the send's outcome, the relay is gone before it can record it, and with it any wait a
                // service asked for.
                failedTries.merge(mail.id(), receipt == null ? 0 : 1, Integer::sum);
                Peers.NOW.forgetWaits();
                throw new RelayDied("relay " + slot.label() + " dies after sending " + mail.id());
            }
            return receipt;
        }
    }

    final ScriptClock clock = new ScriptClock();
    private final MailTransport routed;
    private final FaultyDataSource database;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, MessagePlan> committed = new LinkedHashMap<>();
    private final Map<String, MessagePlan> notCommitted = new LinkedHashMap<>();
    private final Map<String, Deque<MessagePlan.RelayEnd>> relayEnds = new HashMap<>();
    private final Map<String, Integer> deaths = new HashMap<>();
    /** The tries of each message that a relay began and that failed: the send threw, or its relay died. */
    private final Map<String, Integer> failedTries = new HashMap<>();

    private int databaseFaults;
    private final List<String> story = new ArrayList<>();
    private final List<String> ownViolations = new ArrayList<>();
    private int nextId;

    private final DataSource raw;
    private boolean started;

    /**
     * A run on {@code raw}; it starts (empties the table, resets the peers) at its first action, not here: jqwik may
     * make a chain's first state before it runs the chain before.
     */
    OutboxWorld(DataSource raw, MailTransport routed) {
        this.raw = raw;
        this.routed = routed;
        this.database = new FaultyDataSource(raw, what -> {
            story.add("  database error injected at " + what);
            // A relay that cannot write cannot keep a wait a service asked for either: no promise about it holds.
            Peers.NOW.forgetWaits();
        });
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        Peers.NOW.reset(clock, LEASE.plusMinutes(1));
        OutboxSettings settings = OutboxSettings.builder()
                .table(TABLE)
                .clock(clock)
                .lease(LEASE)
                .backoff(INITIAL_BACKOFF, MAX_BACKOFF)
                .maxAttempts(MAX_ATTEMPTS)
                .maxAge(Duration.ofDays(365))
                .batchSize(BATCH_SIZE)
                .build();
        slots.add(new Slot("A", new MailOutbox(database, settings)));
        slots.add(new Slot("B", new MailOutbox(database, settings)));
        try (Connection c = raw.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + TABLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the outbox table", e);
        }
    }

    // ---- the actions

    /** Enqueues a new message on server A, committed at once, or in a transaction that rolls back. */
    void enqueue(MessagePlan plan, boolean rolledBack) {
        start();
        String id = "m" + (++nextId);
        Peers.NOW.script(id, plan);
        Deque<MessagePlan.RelayEnd> ends = new ArrayDeque<>(plan.relayEnds());
        relayEnds.put(id, ends);
        Mail mail = plan.toMail(id);
        MailOutbox outbox = slots.get(0).outbox;
        story.add("enqueue " + id + (rolledBack ? " (rolled back)" : "") + ": " + plan);
        try {
            if (rolledBack) {
                try (Connection c = database.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        outbox.enqueue(c, mail);
                    } finally {
                        c.rollback();
                    }
                }
                notCommitted.put(id, plan);
            } else {
                outbox.enqueue(mail);
                committed.put(id, plan);
            }
        } catch (OutboxStorageException | SQLException e) {
            story.add("  enqueue of " + id + " failed: " + e.getMessage());
            notCommitted.put(id, plan);
        }
    }

    /** One drain of server {@code index}'s relay (restarted first if it died or was stopped). */
    void drain(int index) {
        start();
        Slot slot = slots.get(index);
        OutboxRelay relay = slot.relay();
        String label = slot.label();
        try {
            int claimed = relay.drainOnce();
            story.add("drain " + label + ": " + claimed + " claimed");
        } catch (RelayDied e) {
            story.add("drain " + label + ": " + e.getMessage() + "; its claims stay leased");
            slot.gone = true;
        } catch (OutboxStorageException e) {
            story.add("drain " + label + ": threw " + e.getMessage());
        } catch (RuntimeException e) {
            ownViolations.add("drainOnce of relay " + label + " threw " + e);
            story.add("drain " + label + ": threw " + e);
        }
    }

    void advance(Duration by) {
        start();
        clock.advance(by);
        story.add(
                "clock +" + by.toMinutes() + " min" + (by.toSecondsPart() > 0 ? " " + by.toSecondsPart() + " s" : ""));
    }

    void failStatement(int n) {
        start();
        database.failStatement(n);
        databaseFaults++;
        story.add("database: statement " + n + " from now fails");
    }

    private MessagePlan.RelayEnd nextRelayEnd(String id) {
        if (committedOrNot(id).poison()) {
            return MessagePlan.RelayEnd.DIES_BEFORE_SEND;
        }
        Deque<MessagePlan.RelayEnd> ends = relayEnds.get(id);
        return ends == null ? null : ends.poll();
    }

    private MessagePlan committedOrNot(String id) {
        MessagePlan plan = committed.get(id);
        return plan != null ? plan : notCommitted.get(id);
    }

    // ---- settling and the invariant

    /**
     * Stops every passing fault (the database's, the peers', the relays' ends; a poison message stays poison), then
     * moves the clock past every lease, backoff and {@code Retry-After} and drains both servers until nothing is due.
     */
    void settle() {
        start();
        database.disarm();
        Peers.NOW.stopFaults();
        relayEnds.clear();
        story.add("settle: faults stop; clock +" + SETTLE_STEP.toMinutes() + " min and drain both, until none pending");
        for (int round = 0; round < SETTLE_ROUNDS; round++) {
            clock.advance(SETTLE_STEP);
            for (int s = 0; s < slots.size(); s++) {
                for (int i = 0; i < 50; i++) {
                    Slot slot = slots.get(s);
                    try {
                        if (slot.relay().drainOnce() == 0) {
                            break;
                        }
                    } catch (RelayDied e) {
                        slot.gone = true;
                        break;
                    } catch (RuntimeException e) {
                        ownViolations.add("drainOnce threw while settling, with no fault injected: " + e);
                        break;
                    }
                }
            }
            if (entries().values().stream().noneMatch(e -> e.state() == OutboxState.PENDING)) {
                return;
            }
        }
    }

    private Map<String, OutboxEntry> entries() {
        return slots.get(0).outbox.recentEntries(1000).stream().collect(Collectors.toMap(OutboxEntry::id, e -> e));
    }

    /** What broke the outbox's promise, once settled; empty when it held. */
    List<String> violations() {
        List<String> found = new ArrayList<>(ownViolations);
        found.addAll(Peers.NOW.violations());
        Map<String, OutboxEntry> entries = entries();
        Map<String, Map<String, Long>> copies = Peers.NOW.copies().stream()
                .collect(Collectors.groupingBy(
                        Peers.Copy::mailId, Collectors.groupingBy(Peers.Copy::recipient, Collectors.counting())));
        for (Map.Entry<String, MessagePlan> e : committed.entrySet()) {
            String id = e.getKey();
            MessagePlan plan = e.getValue();
            OutboxEntry entry = entries.get(id);
            if (entry == null) {
                found.add(id + ": committed, but the outbox does not hold it");
                continue;
            }
            int fired = deaths.getOrDefault(id, 0);
            Map<String, Long> got = copies.getOrDefault(id, Map.of());
            String seen = id + " (" + entry.state() + ", " + entry.attempts() + " tries, last failure "
                    + entry.lastFailure() + (entry.possibleDuplicate() ? ", flagged" : "") + ")";
            boolean deadRightly = false;
            switch (entry.state()) {
                case PENDING -> found.add(seen + ": still PENDING after settling");
                case DEAD -> {
                    // Out of tries rightly only if its own tries failed that often: a claim that a database fault
                    // wasted may count, one wasted because its relay died sending another entry may not.
                    int ownFailures = failedTries.getOrDefault(id, 0) + databaseFaults;
                    deadRightly = plan.unsendable() || plan.poison() || ownFailures >= MAX_ATTEMPTS;
                    if (!deadRightly) {
                        found.add(seen + ": DEAD, though a configured path could send it (" + entry.lastError() + ")");
                    }
                    if (fired != 1) {
                        found.add(seen + ": DEAD, and onDead fired " + fired + " times");
                    }
                }
                case DELIVERED -> {
                    if (fired != 0) {
                        found.add(seen + ": not dead, yet onDead fired " + fired + " times");
                    }
                }
            }
            if (!deadRightly) {
                List<String> addresses = plan.addresses(id);
                for (int i = 0; i < addresses.size(); i++) {
                    if (!plan.refusedForGood().contains(i) && got.getOrDefault(addresses.get(i), 0L) == 0) {
                        found.add(seen + ": recipient r" + i + " never got it");
                    }
                }
            }
            got.forEach((recipient, count) -> {
                if (count > 1 && !entry.possibleDuplicate()) {
                    found.add(seen + ": recipient " + recipient.substring(0, recipient.indexOf('.')) + " got " + count
                            + " copies, but the entry is not flagged possible duplicate");
                }
            });
        }
        for (String id : notCommitted.keySet()) {
            if (entries.containsKey(id)) {
                found.add(id + ": its enqueue failed or rolled back, yet the outbox holds it");
            }
            if (copies.containsKey(id)) {
                found.add(id + ": never committed, yet sent");
            }
        }
        return found;
    }

    /** The run as a reader needs it to see why the invariant broke: what happened, and where each entry ended. */
    String describe(List<String> violations) {
        StringBuilder s = new StringBuilder();
        s.append("Violations:\n");
        violations.forEach(v -> s.append("  - ").append(v).append('\n'));
        s.append("What happened (").append(ScriptClock.START).append(" + script time):\n");
        story.forEach(line -> s.append("  ").append(line).append('\n'));
        s.append("Entries once settled:\n");
        Map<String, OutboxEntry> entries = entries();
        for (String id : committed.keySet()) {
            Optional<OutboxEntry> entry = Optional.ofNullable(entries.get(id));
            s.append("  ")
                    .append(id)
                    .append(": ")
                    .append(entry.map(OutboxWorld::brief).orElse("absent"));
            s.append("; copies ")
                    .append(Peers.NOW.copies().stream()
                            .filter(c -> c.mailId().equals(id))
                            .map(c -> c.recipient().substring(0, c.recipient().indexOf('.')) + "@" + c.path())
                            .toList());
            s.append("; onDead ").append(deaths.getOrDefault(id, 0)).append('\n');
        }
        return s.toString();
    }

    private static String brief(OutboxEntry e) {
        return e.state() + " tries=" + e.attempts() + " dup=" + e.possibleDuplicate() + " transport=" + e.transport()
                + " last=" + e.lastFailure() + (e.lastError() == null ? "" : " (" + e.lastError() + ")");
    }
}
