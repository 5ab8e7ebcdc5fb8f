package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mailpath.Attachment;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's behaviour on a real database; each database's test class supplies its data source. The relay sends
 * through the test kit's in-memory transport, which fails as each test tells it. Time is a {@link TestClock}.
 */
public abstract class OutboxScenarios {
    static final Instant START = Instant.parse("2030-01-01T09:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);

    final TestClock clock = new TestClock(START);
    final Mailbox mailbox = Mailbox.of("memory");
    final List<OutboxEntry> died = new CopyOnWriteArrayList<>();
    DirectTransport transport;
    MailOutbox outbox;
    OutboxRelay relay;

    /** The database under test. */
    abstract DataSource dataSource();

    /** The settings of every test: its clock, a 5 minute lease, backoff from 1 to 10 minutes, batches of 10. */
    OutboxSettings.Builder settings() {
        return OutboxSettings.builder()
                .clock(clock)
                .lease(LEASE)
                .backoff(Duration.ofMinutes(1), Duration.ofMinutes(10))
                .batchSize(10);
    }

    @BeforeEach
    void emptyOutbox() throws SQLException {
        Mailbox.clearAll();
        transport = Transports.create("memory", Map.of());
        outbox = new MailOutbox(dataSource(), settings().build());
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + OutboxSettings.DEFAULT_TABLE);
        }
        relay = new OutboxRelay(outbox, transport, died::add);
    }

    @AfterEach
    void closeTransport() {
        transport.close();
    }

    /** A small order confirmation with this id. */
    public static Mail mail(String id) {
        return Mail.builder()
                .id(id)
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Order " + id)
                .text("Thanks for your order.")
                .build();
    }

    OutboxEntry entry(String id) {
        return outbox.entry(id).orElseThrow(() -> new AssertionError("no outbox entry " + id));
    }

    @Test
    void aRolledBackEnqueueLeavesNothingToSend() throws SQLException {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                assertThat(outbox.enqueue(c, mail("rolled-back"))).isEqualTo("rolled-back");
                assertThat(c.getAutoCommit())
                        .as("the caller's transaction is left as it was")
                        .isFalse();
            } finally {
                c.rollback();
            }
        }

        assertThat(outbox.entry("rolled-back")).isEmpty();
        assertThat(relay.drainOnce()).isZero();
        assertThat(mailbox.deliveriesTried()).isZero();
    }

    @Test
    void anEnqueueInTheCallersTransactionIsSentOnlyAfterItCommits() throws SQLException {
        try (Connection c = dataSource().getConnection()) {
            MailOutbox inTransaction = new MailOutbox(
                    new TransactionBoundDataSource(c),
                    settings().createSchema(false).build());
            try {
                inTransaction.enqueue(mail("first-try"));
                c.rollback();
                inTransaction.enqueue(mail("second-try"));
                c.commit();
            } finally {
                c.rollback(); // nothing left to roll back unless something failed midway
            }
        }

        assertThat(relay.drainOnce()).isEqualTo(1);
        assertThat(outbox.entry("first-try")).isEmpty();
        assertThat(mailbox.messages()).extracting(SentMail::mailId).containsExactly("second-try");
    }

    @Test
    void aCommittedEntryIsDeliveredOnceAndRecorded() {
        outbox.enqueue(mail("order-1"));

        assertThat(relay.drainOnce()).isEqualTo(1);
        assertThat(relay.drainOnce()).isZero();

        assertThat(mailbox.withMailId("order-1")).hasSize(1);
        OutboxEntry entry = entry("order-1");
        assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.transport()).isEqualTo("memory");
        assertThat(entry.messageId()).isEqualTo("<order-1@memory.invalid>");
        assertThat(entry.transmissionId()).isEqualTo(mailbox.messages().get(0).transmissionId());
        assertThat(entry.possibleDuplicate()).isFalse();
        assertThat(entry.finishedAt()).isEqualTo(START);
        assertThat(entry.lastFailure()).isNull();
    }

    @Test
    void everyFieldAndAttachmentIsStoredAtEnqueueAndSentAsItWas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.csv");
        Files.writeString(file, "a,b\n1,2\n");
        Mail original = MailCodecTest.everyField()
                .attach(Attachment.named("report.csv").type("text/csv").file(file))
                .build();

        outbox.enqueue(original);
        Files.delete(file); // read at enqueue: the row holds the bytes
        relay.drainOnce();

        Mail expected = MailCodecTest.everyField()
                .attach(Attachment.named("report.csv").type("text/csv").bytes("a,b\n1,2\n".getBytes()))
                .build();
        MailCodecTest.assertSameMail(mailbox.withMailId(original.id()).get(0).mail(), expected);
    }

    @Test
    void aMessageAboveTheLimitIsRefusedWithItsSize() {
        MailOutbox small =
                new MailOutbox(dataSource(), settings().maxMessageBytes(4096).build());
        Mail big = Mail.builder()
                .id("big")
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Big")
                .text("see attached")
                .attach(Attachment.named("big.bin")
                        .type("application/octet-stream")
                        .bytes(new byte[5000]))
                .build();

        assertThatThrownBy(() -> small.enqueue(big)).isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.REJECTED);
            assertThat(e.mailId()).isEqualTo("big");
            assertThat(e.size()).isGreaterThan(5000);
            assertThat(e.limit()).isEqualTo(4096);
        });
        assertThat(outbox.entry("big")).isEmpty();
    }

    @Test
    void anIdEnqueuedTwiceIsRefused() {
        outbox.enqueue(mail("once"));

        assertThatThrownBy(() -> outbox.enqueue(mail("once")))
                .isInstanceOfSatisfying(DuplicateMailIdException.class, e -> assertThat(e.mailId())
                        .isEqualTo("once"));
    }

    @Test
    void aRejectedEntryDiesAtOnceAndIsReported() {
        mailbox.failNext(1, SimulatedFailure.rejected(400));
        outbox.enqueue(mail("bad"));

        relay.drainOnce();
        clock.advance(Duration.ofDays(1));
        assertThat(relay.drainOnce()).as("a dead entry is never sent by itself").isZero();

        OutboxEntry entry = entry("bad");
        assertThat(entry.state()).isEqualTo(OutboxState.DEAD);
        assertThat(entry.lastFailure()).isEqualTo(FailureKind.REJECTED);
        assertThat(entry.lastError()).contains("400");
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(mailbox.deliveriesTried()).isEqualTo(1);
        assertThat(died).extracting(OutboxEntry::id).containsExactly("bad");
        assertThat(outbox.deadEntries(10)).extracting(OutboxEntry::id).containsExactly("bad");
    }

    @Test
    void aRateLimitedEntryWaitsForRetryAfter() {
        mailbox.failNext(1, SimulatedFailure.rateLimited(Duration.ofMinutes(7)));
        outbox.enqueue(mail("slow-down"));

        relay.drainOnce();
        OutboxEntry waiting = entry("slow-down");
        assertThat(waiting.state()).isEqualTo(OutboxState.PENDING);
        assertThat(waiting.lastFailure()).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(waiting.dueAt()).isEqualTo(START.plus(Duration.ofMinutes(7)));

        clock.advance(Duration.ofMinutes(7).minusSeconds(1));
        assertThat(relay.drainOnce()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(relay.drainOnce()).isEqualTo(1);

        assertThat(entry("slow-down").state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(mailbox.withMailId("slow-down")).hasSize(1);
    }

    @Test
    void anUnavailableEntryBacksOffExponentiallyWithJitter() {
        mailbox.failNext(4, SimulatedFailure.unavailable());
        outbox.enqueue(mail("later"));

        // Backoff from 1 minute doubling to a 10 minute cap, each drawn from the upper half of its step.
        long[] stepsSeconds = {60, 120, 240, 480};
        for (long step : stepsSeconds) {
            Instant now = clock.instant();
            assertThat(relay.drainOnce()).isEqualTo(1);
            OutboxEntry entry = entry("later");
            assertThat(entry.state()).isEqualTo(OutboxState.PENDING);
            assertThat(entry.lastFailure()).isEqualTo(FailureKind.UNAVAILABLE);
            assertThat(entry.possibleDuplicate()).isFalse();
            assertThat(Duration.between(now, entry.dueAt()))
                    .isBetween(Duration.ofSeconds(step / 2), Duration.ofSeconds(step));
            clock.set(entry.dueAt().minusMillis(1));
            assertThat(relay.drainOnce()).as("not before its due time").isZero();
            clock.set(entry.dueAt());
        }
        assertThat(relay.drainOnce()).isEqualTo(1);

        OutboxEntry delivered = entry("later");
        assertThat(delivered.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(5);
        assertThat(mailbox.withMailId("later")).hasSize(1);
    }

    @Test
    void theBackoffStopsAtItsCap() {
        for (int attempts = 5; attempts <= 70; attempts++) {
            assertThat(relay.backoff(attempts)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
        }
    }

    @Test
    void anUncertainEntryIsResentWithTheSameIdFlaggedPossibleDuplicate() {
        mailbox.failNext(1, SimulatedFailure.uncertainAfterAccept());
        outbox.enqueue(mail("maybe"));

        relay.drainOnce();
        OutboxEntry waiting = entry("maybe");
        assertThat(waiting.state()).isEqualTo(OutboxState.PENDING);
        assertThat(waiting.lastFailure()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(waiting.possibleDuplicate()).isTrue();

        clock.set(waiting.dueAt());
        relay.drainOnce();

        assertThat(mailbox.withMailId("maybe"))
                .as("the server accepted both copies")
                .hasSize(2);
        OutboxEntry delivered = entry("maybe");
        assertThat(delivered.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(delivered.possibleDuplicate()).isTrue();
        assertThat(delivered.attempts()).isEqualTo(2);
    }

    @Test
    void anEntryFailingMoreThanMaxAttemptsDies() {
        relay = new OutboxRelay(
                new MailOutbox(dataSource(), settings().maxAttempts(3).build()), transport, died::add);
        mailbox.failNext(3, SimulatedFailure.unavailable());
        outbox.enqueue(mail("hopeless"));

        for (int i = 0; i < 3; i++) {
            assertThat(relay.drainOnce()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(10));
        }
        assertThat(relay.drainOnce()).isZero();

        OutboxEntry dead = entry("hopeless");
        assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.lastFailure()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(dead.lastError()).contains("after 3 tries");
        assertThat(died).extracting(OutboxEntry::id).containsExactly("hopeless");
    }

    @Test
    void anEntryFailingPastMaxAgeDies() {
        relay = new OutboxRelay(
                new MailOutbox(
                        dataSource(), settings().maxAge(Duration.ofHours(1)).build()),
                transport);
        mailbox.failNext(2, SimulatedFailure.unavailable());
        outbox.enqueue(mail("stale"));

        relay.drainOnce();
        assertThat(entry("stale").state()).isEqualTo(OutboxState.PENDING);
        clock.advance(Duration.ofHours(1));
        relay.drainOnce();

        OutboxEntry dead = entry("stale");
        assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.lastError()).contains("older than");
    }

    @Test
    void aDeadEntryCanBeRetriedWithItsTriesCountedAgain() {
        mailbox.failNext(1, SimulatedFailure.rejected(422));
        outbox.enqueue(mail("fixed"));
        relay.drainOnce();
        assertThat(entry("fixed").state()).isEqualTo(OutboxState.DEAD);

        clock.advance(Duration.ofDays(30));
        assertThat(outbox.retryDead("fixed")).isTrue();
        assertThat(outbox.retryDead("fixed")).as("no longer dead").isFalse();
        OutboxEntry retried = entry("fixed");
        assertThat(retried.state()).isEqualTo(OutboxState.PENDING);
        assertThat(retried.attempts()).isZero();
        assertThat(retried.finishedAt()).isNull();
        relay.drainOnce();

        assertThat(entry("fixed").state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(mailbox.messages()).extracting(SentMail::mailId).containsExactly("fixed");
        assertThat(outbox.deadEntries(10)).isEmpty();
    }

    @Test
    void deadEntriesAreListedNewestFirstAndPurged() {
        mailbox.failNext(3, SimulatedFailure.rejected(400));
        for (String id : List.of("dead-1", "dead-2", "dead-3")) {
            outbox.enqueue(mail(id));
            relay.drainOnce();
            clock.advance(Duration.ofHours(1));
        }
        outbox.enqueue(mail("alive"));

        assertThat(outbox.deadEntries(10)).extracting(OutboxEntry::id).containsExactly("dead-3", "dead-2", "dead-1");
        assertThat(outbox.deadEntries(2)).extracting(OutboxEntry::id).containsExactly("dead-3", "dead-2");

        assertThat(outbox.purgeDead("dead-3")).isTrue();
        assertThat(outbox.purgeDead("alive")).as("only dead entries are purged").isFalse();
        assertThat(outbox.purgeDead(START.plus(Duration.ofMinutes(30))))
                .as("died before 09:30")
                .isEqualTo(1);

        assertThat(outbox.deadEntries(10)).extracting(OutboxEntry::id).containsExactly("dead-2");
        assertThat(outbox.entry("alive")).isPresent();
    }

    @Test
    void recentEntriesListEveryStateNewestFirstUpToTheLimit() throws SQLException {
        mailbox.failNext(1, SimulatedFailure.rejected(400));
        outbox.enqueue(mail("dead"));
        relay.drainOnce();
        clock.advance(Duration.ofMinutes(1));
        outbox.enqueue(mail("delivered"));
        relay.drainOnce();
        clock.advance(Duration.ofMinutes(1));
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, mail("rolled-back"));
            c.rollback();
        }
        outbox.enqueue(mail("pending"));

        assertThat(outbox.recentEntries(10))
                .extracting(OutboxEntry::id, OutboxEntry::state)
                .containsExactly(
                        tuple("pending", OutboxState.PENDING),
                        tuple("delivered", OutboxState.DELIVERED),
                        tuple("dead", OutboxState.DEAD));
        assertThat(outbox.recentEntries(2)).extracting(OutboxEntry::id).containsExactly("pending", "delivered");
        OutboxEntry delivered = outbox.recentEntries(2).get(1);
        assertThat(delivered).isEqualTo(entry("delivered"));
        assertThat(delivered.transport()).isEqualTo("memory");
        assertThatThrownBy(() -> outbox.recentEntries(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void deliveredEntriesArePurgedAfterTheRetention() {
        relay = new OutboxRelay(
                new MailOutbox(
                        dataSource(),
                        settings().deliveredRetention(Duration.ofDays(2)).build()),
                transport);
        mailbox.failNext(1, SimulatedFailure.unavailable());
        outbox.enqueue(mail("pending"));
        relay.drainOnce();
        outbox.enqueue(mail("done"));
        relay.drainOnce();

        clock.advance(Duration.ofDays(2));
        assertThat(relay.purgeDelivered()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(relay.purgeDelivered()).isEqualTo(1);

        assertThat(outbox.entry("done")).isEmpty();
        assertThat(outbox.entry("pending")).isPresent();
    }

    @Test
    void aSecondRelayClaimsNothingThatTheFirstHolds() {
        for (int i = 0; i < 8; i++) {
            outbox.enqueue(mail("held-" + i));
        }
        OutboxRelay other = new OutboxRelay(outbox, transport);

        List<OutboxStore.Claimed> first = relay.claim(5);
        List<OutboxStore.Claimed> second = other.claim(10);
        assertThat(other.claim(10)).isEmpty();

        Set<String> firstIds = ids(first);
        assertThat(firstIds).hasSize(5);
        assertThat(ids(second)).hasSize(3).doesNotContainAnyElementsOf(firstIds);
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheResendFlaggedPossibleDuplicate() {
        outbox.enqueue(mail("crashed"));
        OutboxRelay crashed = new OutboxRelay(outbox, transport);
        OutboxStore.Claimed lost = crashed.claim(1).get(0); // its relay dies before recording anything

        clock.advance(LEASE.minusSeconds(1));
        assertThat(relay.drainOnce()).as("the lease still holds").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(relay.drainOnce()).isEqualTo(1);

        OutboxEntry delivered = entry("crashed");
        assertThat(delivered.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(delivered.possibleDuplicate()).isTrue();
        assertThat(delivered.attempts()).as("a try counts when a send starts").isEqualTo(1);
        assertThat(mailbox.withMailId("crashed")).hasSize(1);

        // The first relay wakes up and goes on with its claim: the lease is another's now, so it neither sends nor
        // records anything.
        crashed.send(lost);
        assertThat(mailbox.withMailId("crashed")).hasSize(1);
        assertThat(entry("crashed")).isEqualTo(delivered);
        assertThat(died).isEmpty();
    }

    @Test
    void entriesWhoseLeaseRanOutDuringTheBatchAreHandedBackUnsent() {
        outbox.enqueue(mail("one"));
        outbox.enqueue(mail("two"));
        // The batch's first send outlasts the lease of the whole batch: another relay may have claimed the other by
        // now.
        OutboxRelay slow = new OutboxRelay(outbox, mail -> {
            clock.advance(LEASE);
            return transport.send(mail);
        });

        assertThat(slow.drainOnce()).isEqualTo(2);

        assertThat(mailbox.messages()).as("only the first of the batch sent").hasSize(1);
        String sent = mailbox.messages().get(0).mailId();
        String other = sent.equals("one") ? "two" : "one";
        OutboxEntry handedBack = entry(other);
        assertThat(handedBack.state()).isEqualTo(OutboxState.PENDING);
        assertThat(handedBack.attempts()).as("the try is not counted").isZero();
        assertThat(handedBack.possibleDuplicate()).isFalse();
        assertThat(relay.drainOnce()).isEqualTo(1);
        assertThat(mailbox.withMailId(other)).hasSize(1);
        assertThat(entry(other).possibleDuplicate())
                .as("sent once, by one relay")
                .isFalse();
    }

    @Test
    void twoRelaysDrainingConcurrentlySendEachEntryOnce() throws Exception {
        int count = 300;
        for (int i = 0; i < count; i++) {
            outbox.enqueue(mail("busy-" + i));
        }
        List<OutboxRelay> relays = List.of(relay, new OutboxRelay(outbox, transport));
        CyclicBarrier start = new CyclicBarrier(relays.size());
        ExecutorService threads = Executors.newFixedThreadPool(relays.size());
        try {
            List<Future<Integer>> claimed = new ArrayList<>();
            for (OutboxRelay r : relays) {
                claimed.add(threads.submit(() -> {
                    start.await();
                    int total = 0;
                    for (int n; (n = r.drainOnce()) > 0; ) {
                        total += n;
                    }
                    return total;
                }));
            }
            int total = 0;
            for (Future<Integer> f : claimed) {
                total += f.get(10, TimeUnit.MINUTES);
            }
            assertThat(total).as("claims by both relays").isEqualTo(count);
        } finally {
            threads.shutdownNow();
        }

        List<String> sent = mailbox.messages().stream().map(SentMail::mailId).toList();
        assertThat(sent).hasSize(count).doesNotHaveDuplicates();
        assertThat(new HashSet<>(sent))
                .isEqualTo(new HashSet<>(
                        IntStream.range(0, count).mapToObj(i -> "busy-" + i).toList()));
        for (int i = 0; i < count; i++) {
            OutboxEntry entry = entry("busy-" + i);
            assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
            assertThat(entry.attempts()).isEqualTo(1);
            assertThat(entry.possibleDuplicate()).isFalse();
        }
    }

    @Test
    void withoutSchemaCreationAMissingTableFailsTheStartNamingWhatToRun() {
        assertThatThrownBy(() -> new MailOutbox(
                        dataSource(),
                        settings().table("no_such_outbox").createSchema(false).build()))
                .isInstanceOf(OutboxStorageException.class)
                .hasMessageContaining("no_such_outbox")
                .hasMessageContaining("OutboxDialect." + outbox.dialect() + ".migration");
    }

    @Test
    void theTableIsCreatedOnceUnderItsConfiguredName() throws SQLException {
        String table = "outbox_created_" + Long.toHexString(System.nanoTime());
        try {
            MailOutbox created =
                    new MailOutbox(dataSource(), settings().table(table).build());
            MailOutbox again =
                    new MailOutbox(dataSource(), settings().table(table).build());
            created.enqueue(mail("in-custom-table"));

            assertThat(again.entry("in-custom-table")).isPresent();
            assertThat(outbox.entry("in-custom-table")).isEmpty();
        } finally {
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE " + table);
                s.executeUpdate("DROP TABLE " + table + "_version");
            }
        }
    }

    private static Set<String> ids(List<OutboxStore.Claimed> claims) {
        Set<String> ids = new HashSet<>();
        claims.forEach(c -> ids.add(c.id()));
        return Collections.unmodifiableSet(ids);
    }
}
