package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.RejectedRecipient;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 21's outbox (per-recipient progress, claims read back, stop): each scenario shows a way the promise
 * "every message delivered once or raised; every second copy flagged" was broken, on each database.
 */
public abstract class OutboxReviewScenarios extends OutboxPromiseScenarios {

    private static Mail perRecipient(String id, String... to) {
        Mail.Builder b = Mail.builder()
                .id(id)
                .from("shop@example.com")
                .to(to)
                .subject("Hello {{name}}")
                .text("Dear {{name}}");
        for (String address : to) {
            b.recipientData(address, java.util.Map.of("name", address.substring(0, address.indexOf('@'))));
        }
        return b.build();
    }

    @Test
    void aGreylistedCopyIsNotTakenForRefusedWhenAnotherCopyOfTheSameTryWasRefused() {
        outbox.enqueue(perRecipient("mixed", "gone@example.org", "later@example.org"));
        // One copy per recipient: the first is refused for good, the second only greylisted (try again later).
        mailbox.failNext(1, SimulatedFailure.rejected(550)).failNext(1, SimulatedFailure.unavailable());

        relay.drainOnce();

        assertThat(died).as("the greylisted recipient can still be reached").isEmpty();
        mailbox.failNext(1, SimulatedFailure.rejected(550)); // refused for good again
        clock.advance(Duration.ofMinutes(15));
        relay.drainOnce();

        assertThat(mailbox.to("later@example.org")).hasSize(1);
        OutboxEntry entry = entry("mixed");
        assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(entry.deliveredTo()).containsExactly("later@example.org");
        assertThat(entry.undelivered())
                .extracting(RejectedRecipient::address, RejectedRecipient::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gone@example.org", FailureKind.REJECTED));
    }

    @Test
    void aGreylistedRecipientIsNotMarkedRefusedForGoodAfterOthersHadTheirCopy() {
        outbox.enqueue(perRecipient("late-mixed", "gone@example.org", "later@example.org", "ann@example.org"));
        // Try 1: the first two copies are greylisted, Ann has hers.
        mailbox.failNext(2, SimulatedFailure.unavailable());
        relay.drainOnce();
        assertThat(entry("late-mixed").deliveredTo()).containsExactly("ann@example.org");

        // Try 2, for the two others only: one is refused for good, the other greylisted again.
        mailbox.failNext(1, SimulatedFailure.rejected(550)).failNext(1, SimulatedFailure.unavailable());
        clock.advance(Duration.ofMinutes(15));
        relay.drainOnce();

        OutboxEntry afterSecond = entry("late-mixed");
        assertThat(afterSecond.undelivered())
                .as("the greylisted recipient is not refused for good")
                .filteredOn(r -> r.kind() == FailureKind.REJECTED)
                .extracting(RejectedRecipient::address)
                .doesNotContain("later@example.org");
        assertThat(afterSecond.state()).isEqualTo(OutboxState.PENDING);

        clock.advance(Duration.ofMinutes(15));
        relay.drainOnce();
        assertThat(mailbox.to("later@example.org"))
                .as("the greylisted recipient gets a copy in the end")
                .hasSize(1);
        assertThat(mailbox.to("ann@example.org")).hasSize(1);
        assertThat(entry("late-mixed").state()).isEqualTo(OutboxState.DELIVERED);
    }

    @Test
    void aClaimWhoseReadBackFailsHandsItsEntriesBackUnflaggedAndUncounted() {
        FailingStatements database = new FailingStatements(dataSource());
        OutboxRelay failing =
                new OutboxRelay(new MailOutbox(database.dataSource(), settings().build()), transport, died::add);
        outbox.enqueue(mail("read-back"));
        // The claim commits; reading the claimed rows back fails (the connection is lost after the update).
        database.fail(sql -> sql.contains("retried_at FROM"));
        assertThatThrownBy(failing::drainOnce).isInstanceOf(OutboxStorageException.class);
        database.heal();

        assertThat(failing.drainOnce())
                .as("nothing was sent: the entry is due again at once, not leased for " + LEASE)
                .isEqualTo(1);
        OutboxEntry sent = entry("read-back");
        assertThat(sent.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(sent.possibleDuplicate())
                .as("no copy went out before this one")
                .isFalse();
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(mailbox.messages()).extracting(SentMail::mailId).containsExactly("read-back");
    }

    /**
     * Found in CI: servers starting at once on an empty database all create the version table, and PostgreSQL may
     * refuse the second with "type ... already exists" (its row type) rather than "relation already exists". Many
     * rounds, since each is a race.
     */
    @Test
    void serversCreatingTheTableAtOnceOnAnEmptyDatabaseAllStart() throws Exception {
        java.util.concurrent.ExecutorService servers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 100; round++) {
                String table = "outbox_new_" + Long.toHexString(System.nanoTime());
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(4);
                java.util.List<java.util.concurrent.Future<MailOutbox>> started = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    started.add(servers.submit(() -> {
                        together.await();
                        return new MailOutbox(
                                dataSource(), settings().table(table).build());
                    }));
                }
                try {
                    for (var f : started) {
                        f.get(60, java.util.concurrent.TimeUnit.SECONDS).enqueue(mail("m-" + System.nanoTime()));
                    }
                } finally {
                    try (java.sql.Connection c = dataSource().getConnection();
                            java.sql.Statement s = c.createStatement()) {
                        s.executeUpdate("DROP TABLE " + table);
                        s.executeUpdate("DROP TABLE " + table + "_version");
                    }
                }
            }
        } finally {
            servers.shutdownNow();
        }
    }

    @Test
    void twoServersMigratingTheSameVersion1TableAtOnceBothStart() throws Exception {
        String table = "outbox_race_" + Long.toHexString(System.nanoTime());
        try (java.sql.Connection c = dataSource().getConnection();
                java.sql.Statement s = c.createStatement()) {
            for (String ddl : outbox.dialect().migration(table, 1)) {
                s.executeUpdate(ddl);
            }
        }
        java.util.concurrent.ExecutorService servers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(4);
            java.util.List<java.util.concurrent.Future<MailOutbox>> started = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                started.add(servers.submit(() -> {
                    together.await();
                    return new MailOutbox(dataSource(), settings().table(table).build());
                }));
            }
            for (var f : started) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS).enqueue(mail("m-" + System.nanoTime()));
            }
        } finally {
            servers.shutdownNow();
            try (java.sql.Connection c = dataSource().getConnection();
                    java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE " + table);
                s.executeUpdate("DROP TABLE " + table + "_version");
            }
        }
    }

    @Test
    void aThousandRecipientsHalfOfThemGreylistedEachGetOneCopy() {
        String[] to = new String[Mail.MAX_RECIPIENTS];
        for (int i = 0; i < to.length; i++) {
            to[i] = "user" + i + "@example.org";
        }
        outbox.enqueue(perRecipient("thousand", to));
        mailbox.failNext(to.length / 2, SimulatedFailure.unavailable());

        relay.drainOnce();
        OutboxEntry partial = entry("thousand");
        assertThat(partial.deliveredTo()).hasSize(to.length / 2);
        assertThat(partial.undelivered()).hasSize(to.length / 2);
        assertThat(partial.lastError()).hasSizeLessThanOrEqualTo(OutboxStore.ERROR_WIDTH);

        clock.advance(Duration.ofMinutes(15));
        relay.drainOnce();
        OutboxEntry done = entry("thousand");
        assertThat(done.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(done.deliveredTo()).hasSize(to.length);
        assertThat(mailbox.messages()).hasSize(to.length);
        for (String address : to) {
            assertThat(mailbox.to(address)).as(address).hasSize(1);
        }
    }

    @Test
    void aVersion1TableInItsOwnSchemaIsMigratedWithItsRows() throws Exception {
        String schema = "rv_" + Long.toHexString(System.nanoTime());
        String table = schema + ".mail_outbox";
        try (java.sql.Connection c = dataSource().getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("CREATE SCHEMA " + schema);
            for (String ddl : outbox.dialect().migration(table, 1)) {
                s.executeUpdate(ddl);
            }
        }
        try {
            MailOutbox v1 = new MailOutbox(dataSource(), settings().table(table).build());
            v1.enqueue(mail("in-schema"));
            new OutboxRelay(v1, transport, died::add).drainOnce();
            assertThat(v1.entry("in-schema").orElseThrow().deliveredTo()).containsExactly("ann@example.com");
        } finally {
            try (java.sql.Connection c = dataSource().getConnection();
                    java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE " + table);
                s.executeUpdate("DROP TABLE " + table + "_version");
                s.executeUpdate("DROP SCHEMA " + schema + " RESTRICT");
            }
        }
    }

    @Test
    void aCopyWhoseOwnOutcomeWasUncertainIsSentAgainFlagged() {
        outbox.enqueue(perRecipient("unsure", "ann@example.org", "bob@example.org"));
        mailbox.failNext(1, SimulatedFailure.uncertainAfterAccept()); // Ann's copy arrives, its answer is lost

        relay.drainOnce();
        OutboxEntry partial = entry("unsure");
        assertThat(partial.deliveredTo()).containsExactly("bob@example.org");
        assertThat(partial.possibleDuplicate()).isTrue();

        clock.advance(Duration.ofMinutes(15));
        relay.drainOnce();
        assertThat(mailbox.to("ann@example.org")).as("the second copy, flagged").hasSize(2);
        assertThat(mailbox.to("bob@example.org")).hasSize(1);
        OutboxEntry done = entry("unsure");
        assertThat(done.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(done.possibleDuplicate()).isTrue();
    }
}
