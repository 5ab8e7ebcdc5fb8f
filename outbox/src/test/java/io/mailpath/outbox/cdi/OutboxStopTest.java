package io.mailpath.outbox.cdi;

import static io.mailpath.outbox.OutboxScenarios.mail;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import io.mailpath.outbox.OutboxState;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The application stops while its relay drains (issue 21, item 7): the transport holds the first send of a claimed
 * batch in flight, and the container shuts down. The stop must claim nothing more, hand back what the drain claimed
 * and did not start (pending, the try not counted, not flagged, no failure recorded), let the send under way finish
 * within its wait or leave its entry leased for a later relay, and log no warning per entry. A drain hands back the
 * rest of its batch once its send under way returns.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class OutboxStopTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int ENTRIES = 6;

    private final Mailbox memory = Mailbox.of("memory");
    private final Warnings warnings = new Warnings();

    @BeforeAll
    static void bind() {
        ContainerOutboxes.bindAll();
    }

    @AfterEach
    void cleanUp() {
        memory.clear();
        warnings.close();
    }

    @Test
    void aStopHandsBackWhatTheDrainHasNotSentAndWaitsForTheSendUnderWay() throws Exception {
        String table = "stop_waits_outbox";
        MailpathDeployment app = deployHoldingSends(table, "60000");
        MailOutbox outbox = app.bean(MailOutbox.class);
        List<String> ids = enqueueOneBatch(outbox, table);
        memory.awaitInFlight(1, PATIENCE);

        CompletableFuture<Void> stop = CompletableFuture.runAsync(app::close);
        awaitLogged("relay stopping");
        assertThat(stop).as("the stop waits for the send under way").isNotDone();
        memory.release(1);
        stop.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        // The send under way was recorded before the stop returned.
        String sent = memory.await(1, PATIENCE).get(0).mailId();
        OutboxEntry delivered = outbox.entry(sent).orElseThrow();
        assertThat(delivered.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(delivered.possibleDuplicate()).isFalse();
        assertHandedBack(outbox, table, ids, sent);
        assertThat(warnings.about(ids)).as("warnings naming an entry").isEmpty();
    }

    @Test
    void aSendOutlastingTheStopWaitKeepsItsLeaseAndNothingIsClaimedAfterTheStop() throws Exception {
        String table = "stop_runs_out_outbox";
        MailpathDeployment app = deployHoldingSends(table, "200");
        MailOutbox outbox = app.bean(MailOutbox.class);
        List<String> ids = enqueueOneBatch(outbox, table);
        memory.awaitInFlight(1, PATIENCE);

        app.close(); // the wait runs out: the send is still held
        String held = ids.stream()
                .filter(id -> leased(table, id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry leased after the stop"));
        assertThat(outbox.entry(held).orElseThrow().attempts()).isEqualTo(1);
        assertThat(warnings.all()).as("one warning for the whole relay").hasSize(1);
        // The rest of the batch is handed back by the stop itself, not after the send that outlasts it: a server that
        // dies now leaves nothing but the held entry to be taken over (and flagged).
        assertHandedBack(outbox, table, ids, held);

        // The send ends after the stop: its outcome is recorded while the data source still works, and no drain
        // claims anything more.
        memory.release(1);
        awaitUnleased(table, held);
        // Delivered, or (the transport's beans being gone with the container, its answer lost) due again, flagged:
        // never an unflagged second copy.
        OutboxEntry recorded = outbox.entry(held).orElseThrow();
        if (recorded.state() != OutboxState.DELIVERED) {
            assertThat(recorded.state()).as(held).isEqualTo(OutboxState.PENDING);
            assertThat(recorded.possibleDuplicate()).as(held + " flagged").isTrue();
        }
        ContainerOutboxes.awaitExecutorSettled(() -> 0);
        assertThat(memory.messages()).extracting(m -> m.mailId()).containsExactly(held);
        assertHandedBack(outbox, table, ids, held);
        assertThat(warnings.about(ids)).as("warnings naming an entry").isEmpty();
    }

    /**
     * One drain at a time, ticking only after an hour: what is sent was asked for by the commit. Every send is held
     * until the test lets it go.
     */
    private MailpathDeployment deployHoldingSends(String table, String stopWaitMs) {
        memory.clear();
        memory.hold();
        return MailpathDeployment.start(
                Map.of(
                        "mailpath.transports",
                        "memory",
                        "mailpath.outbox.datasource",
                        ContainerOutboxes.DATASOURCE,
                        "mailpath.outbox.table",
                        table,
                        "mailpath.outbox.relay.concurrency",
                        "1",
                        "mailpath.outbox.relay.interval-ms",
                        "3600000",
                        OutboxConfiguration.STOP_WAIT,
                        stopWaitMs),
                weld -> weld);
    }

    /** Enqueues every entry in one transaction: the drain its commit asks for claims them all in one batch. */
    private static List<String> enqueueOneBatch(MailOutbox outbox, String table) throws SQLException {
        List<String> ids =
                IntStream.range(0, ENTRIES).mapToObj(i -> table + "-" + i).toList();
        ContainerOutboxes.TRANSACTIONS.begin();
        ids.forEach(id -> outbox.enqueue(mail(id)));
        ContainerOutboxes.TRANSACTIONS.commit();
        return ids;
    }

    /** Every entry but {@code sent} is back as it was enqueued: pending, untried, unflagged, unleased. */
    private static void assertHandedBack(MailOutbox outbox, String table, List<String> ids, String sent) {
        for (String id : ids) {
            if (id.equals(sent)) {
                continue;
            }
            OutboxEntry entry = outbox.entry(id).orElseThrow();
            assertThat(entry.state()).as(id).isEqualTo(OutboxState.PENDING);
            assertThat(entry.attempts()).as(id).isZero();
            assertThat(entry.possibleDuplicate()).as(id).isFalse();
            assertThat(entry.lastFailure()).as(id).isNull();
            assertThat(leased(table, id)).as(id + " leased").isFalse();
        }
    }

    private static boolean leased(String table, String id) {
        try (Connection c = ContainerOutboxes.TRANSACTIONS.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT lease_until FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitUnleased(String table, String id) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (leased(table, id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " still leased after " + PATIENCE);
            }
            Thread.sleep(10);
        }
    }

    private void awaitLogged(String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (warnings.infos.stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not logged within " + PATIENCE + ": " + text);
            }
            Thread.sleep(10);
        }
    }

    /** Mailpath's log records while a test runs: warnings (and worse) apart from the rest. */
    private static final class Warnings extends Handler {
        private final Logger mailpath = Logger.getLogger("io.mailpath");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<String> infos = new CopyOnWriteArrayList<>();

        Warnings() {
            mailpath.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            String text = record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown());
            (record.getLevel().intValue() >= Level.WARNING.intValue() ? warnings : infos).add(text);
        }

        List<String> all() {
            return List.copyOf(warnings);
        }

        List<String> about(List<String> ids) {
            return warnings.stream()
                    .filter(w -> ids.stream().anyMatch(w::contains))
                    .toList();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            mailpath.removeHandler(this);
        }
    }
}
