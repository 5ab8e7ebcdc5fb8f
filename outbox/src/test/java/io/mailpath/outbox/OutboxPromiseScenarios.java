package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.RejectedRecipient;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.SimulatedFailure;
import io.mailpath.testing.peers.TestSmtpServer;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the outbox promises when things go wrong in the ways users meet (issue 21): a copy that failed for one
 * recipient, a message that brings its relay down, a database failing mid-batch, a duplicate id inside the caller's
 * transaction, a table name with a wildcard, a table an earlier Mailpath created. Each ran against the version before
 * the fix and failed there.
 */
public abstract class OutboxPromiseScenarios extends OutboxScenarios {
    private TestSmtpServer smtpServer;
    private DirectTransport smtp;

    @AfterEach
    void closeSmtp() {
        if (smtp != null) {
            smtp.close();
        }
        if (smtpServer != null) {
            smtpServer.close();
        }
    }

    /** A relay sending through the real SMTP transport to the test kit's SMTP server, whose RCPT replies a test sets. */
    private OutboxRelay smtpRelay() {
        smtpServer = new TestSmtpServer(TestSmtpServer.Tls.NONE, null, false);
        smtp = Transports.create(
                "smtp",
                Map.of(
                        "mailpath.smtp.host", "127.0.0.1",
                        "mailpath.smtp.port", String.valueOf(smtpServer.port()),
                        "mailpath.smtp.insecure-plaintext", "true"));
        return new OutboxRelay(outbox, smtp, died::add);
    }

    private List<List<String>> copies() {
        return smtpServer.received.stream()
                .map(TestSmtpServer.Received::recipients)
                .toList();
    }

    @Test
    void aCopyPerRecipientThatFailedForOneIsSentLaterToThatOneOnly() {
        OutboxRelay relay = smtpRelay();
        outbox.enqueue(Mail.builder()
                .id("per-recipient")
                .from("shop@example.com")
                .to("ann@example.org", "bob@example.org", "cy@example.org")
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("bob@example.org", Map.of("name", "Bob"))
                .recipientData("cy@example.org", Map.of("name", "Cy"))
                .subject("Hello {{name}}")
                .text("Dear {{name}}")
                .build());
        smtpServer.rcptReplies.put("bob@example.org", 451); // greylisted

        relay.drainOnce();

        OutboxEntry partial = entry("per-recipient");
        assertThat(partial.state()).isEqualTo(OutboxState.PENDING);
        assertThat(partial.deliveredTo()).containsExactlyInAnyOrder("ann@example.org", "cy@example.org");
        assertThat(partial.undelivered())
                .extracting(RejectedRecipient::address, RejectedRecipient::kind, RejectedRecipient::status)
                .containsExactly(tuple("bob@example.org", FailureKind.UNAVAILABLE, 451));
        assertThat(partial.lastFailure()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(partial.possibleDuplicate()).isFalse();

        smtpServer.rcptReplies.clear();
        clock.advance(Duration.ofMinutes(10));
        relay.drainOnce();

        OutboxEntry done = entry("per-recipient");
        assertThat(done.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(done.deliveredTo())
                .containsExactlyInAnyOrder("ann@example.org", "bob@example.org", "cy@example.org");
        assertThat(done.undelivered()).isEmpty();
        assertThat(copies())
                .as("one copy each, the second try to Bob only")
                .containsExactlyInAnyOrder(
                        List.of("ann@example.org"), List.of("cy@example.org"), List.of("bob@example.org"));
        assertThat(smtpServer.received.get(2).message())
                .satisfies(m -> assertThat(m.getSubject()).isEqualTo("Hello Bob"));
    }

    @Test
    void aRecipientGreylistedInOneMessageGetsACopyOfItsOwnLaterAndTheOthersNoSecond() throws Exception {
        OutboxRelay relay = smtpRelay();
        outbox.enqueue(Mail.builder()
                .id("greylisted")
                .from("shop@example.com")
                .to("ann@example.org")
                .cc("bob@example.org")
                .bcc("cy@example.org", "dee@example.org")
                .subject("Minutes")
                .text("Attached")
                .build());
        smtpServer.rcptReplies.put("bob@example.org", 451);
        smtpServer.rcptReplies.put("dee@example.org", 452);

        relay.drainOnce();
        assertThat(entry("greylisted").deliveredTo()).containsExactlyInAnyOrder("ann@example.org", "cy@example.org");

        smtpServer.rcptReplies.clear();
        clock.advance(Duration.ofMinutes(10));
        relay.drainOnce();

        assertThat(entry("greylisted").state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(copies())
                .containsExactly(
                        List.of("ann@example.org", "cy@example.org"),
                        List.of("bob@example.org"),
                        List.of("dee@example.org"));
        // Each late copy is addressed to its recipient alone: a Bcc recipient never sees another.
        assertThat(smtpServer.received.get(2).message().getHeader("To")).containsExactly("dee@example.org");
        assertThat(smtpServer.received.get(2).message().getHeader("Cc")).isNull();
    }

    @Test
    void aRecipientRefusedForGoodIsListedAndNotTriedAgainWhileTheOthersHaveTheirs() {
        OutboxRelay relay = smtpRelay();
        outbox.enqueue(Mail.builder()
                .id("one-refused")
                .from("shop@example.com")
                .to("ann@example.org", "gone@example.org")
                .subject("News")
                .text("Hello")
                .build());
        smtpServer.rcptReplies.put("gone@example.org", 550);

        relay.drainOnce();

        OutboxEntry entry = entry("one-refused");
        assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(entry.deliveredTo()).containsExactly("ann@example.org");
        assertThat(entry.undelivered())
                .extracting(RejectedRecipient::address, RejectedRecipient::kind, RejectedRecipient::status)
                .containsExactly(tuple("gone@example.org", FailureKind.REJECTED, 550));
        clock.advance(Duration.ofHours(1));
        relay.drainOnce();
        assertThat(copies()).hasSize(1);
        assertThat(died).isEmpty();
    }

    @Test
    void aMessageThatBringsItsRelayDownEveryTimeDiesAfterMaxAttempts() {
        outbox = new MailOutbox(dataSource(), settings().maxAttempts(3).build());
        outbox.enqueue(mail("poison"));
        int claims = 0;
        for (int i = 0; i < 10; i++) {
            // Each time a new relay, as after a restart of its server; each dies in the middle of the send.
            OutboxRelay restarted = new OutboxRelay(
                    outbox,
                    mail -> {
                        throw new OutOfMemoryError("stand-in for a relay that dies mid-send");
                    },
                    died::add);
            try {
                claims += restarted.drainOnce();
            } catch (OutOfMemoryError expected) {
                claims++;
            }
            clock.advance(LEASE);
        }

        OutboxEntry dead = entry("poison");
        assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
        assertThat(dead.lastFailure()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(dead.possibleDuplicate()).isTrue();
        assertThat(dead.lastError()).contains("its relay stopped mid-send on each of its 3 tries");
        assertThat(claims)
                .as("3 tries that brought the relay down, then the claim that buried it")
                .isEqualTo(4);
        assertThat(died)
                .extracting(OutboxEntry::id, OutboxEntry::state)
                .containsExactly(tuple("poison", OutboxState.DEAD));
    }

    @Test
    void aDatabaseFailingAfterADeathStillTellsTheListenerAndTheBatchGoesOn() {
        FailingStatements database = new FailingStatements(dataSource());
        outbox = new MailOutbox(database.dataSource(), settings().build());
        relay = new OutboxRelay(outbox, transport, died::add);
        outbox.enqueue(mail("refused"));
        clock.advance(Duration.ofMillis(1));
        outbox.enqueue(mail("fine"));
        mailbox.failNext(1, SimulatedFailure.rejected(400));
        // Reads of one entry by its id alone fail from now on (reading a dead entry back for its event did that).
        database.fail(sql ->
                sql.startsWith("SELECT id, state") && sql.contains("WHERE id = ?") && !sql.contains("lease_token"));

        assertThat(relay.drainOnce()).isEqualTo(2);

        database.heal();
        assertThat(died)
                .extracting(OutboxEntry::id, OutboxEntry::state, OutboxEntry::lastFailure)
                .containsExactly(tuple("refused", OutboxState.DEAD, FailureKind.REJECTED));
        OutboxEntry fine = entry("fine");
        assertThat(fine.state()).as("the rest of the batch is sent at once").isEqualTo(OutboxState.DELIVERED);
        assertThat(fine.possibleDuplicate()).isFalse();
    }

    @Test
    void anEntryWhoseMessageCannotBeReadIsHandedBackUnflaggedAndTheBatchGoesOn() {
        FailingStatements database = new FailingStatements(dataSource());
        outbox = new MailOutbox(database.dataSource(), settings().build());
        relay = new OutboxRelay(outbox, transport, died::add);
        outbox.enqueue(mail("unreadable-now"));
        clock.advance(Duration.ofMillis(1));
        outbox.enqueue(mail("readable"));
        database.fail(new Predicate<>() {
            private int reads;

            @Override
            public boolean test(String sql) {
                return sql.startsWith("SELECT mail_json") && reads++ == 0; // the first entry's message only
            }
        });

        assertThat(relay.drainOnce()).isEqualTo(2);
        database.heal();

        assertThat(entry("readable").state()).isEqualTo(OutboxState.DELIVERED);
        OutboxEntry handedBack = entry("unreadable-now");
        assertThat(handedBack.state()).isEqualTo(OutboxState.PENDING);
        assertThat(handedBack.attempts()).isZero();
        assertThat(relay.drainOnce()).isEqualTo(1);
        assertThat(entry("unreadable-now").possibleDuplicate()).isFalse();
        assertThat(mailbox.withMailId("unreadable-now")).hasSize(1);
    }

    @Test
    void aDuplicateIdLeavesTheCallersTransactionUsable() throws SQLException {
        outbox.enqueue(mail("taken"));
        String orders = "orders_" + Long.toHexString(System.nanoTime());
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE " + orders + " (id INTEGER NOT NULL PRIMARY KEY)");
        }
        try {
            try (Connection c = dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + orders + " (id) VALUES (1)");
                    assertThatThrownBy(() -> outbox.enqueue(c, mail("taken")))
                            .isInstanceOf(DuplicateMailIdException.class);
                    s.executeUpdate("INSERT INTO " + orders + " (id) VALUES (2)");
                    outbox.enqueue(c, mail("new-one"));
                }
                c.commit();
            }
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + orders)) {
                rs.next();
                assertThat(rs.getInt(1)).as("the caller's own rows committed").isEqualTo(2);
            }
            assertThat(outbox.entry("new-one")).isPresent();
        } finally {
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE " + orders);
            }
        }
    }

    @Test
    void aTableNamedLikeAnotherButForAnUnderscoreIsStillCreated() throws SQLException {
        String suffix = Long.toHexString(System.nanoTime());
        String lookalike = "outboxXlike_" + suffix; // '_' in the configured name would match the 'X'
        String configured = "outbox_like_" + suffix;
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE " + lookalike + " (id INTEGER)");
        }
        try {
            MailOutbox own =
                    new MailOutbox(dataSource(), settings().table(configured).build());
            own.enqueue(mail("in-own-table"));
            assertThat(own.entry("in-own-table")).isPresent();
        } finally {
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement()) {
                for (String t : List.of(lookalike, configured, configured + "_version")) {
                    try {
                        s.executeUpdate("DROP TABLE " + t);
                    } catch (SQLException absent) {
                        // not created: the test failed already
                    }
                }
            }
        }
    }

    @Test
    void aTableAnEarlierVersionCreatedIsMigratedInPlaceWithItsRows() throws SQLException {
        String table = "outbox_v1_" + Long.toHexString(System.nanoTime());
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String ddl : outbox.dialect().migration(table, 1)) {
                s.executeUpdate(ddl);
            }
            insertAsVersion1(c, table, mail("waiting"), "PENDING");
            insertAsVersion1(c, table, mail("sent-last-week"), "DELIVERED");
        }
        try {
            MailOutbox upgraded =
                    new MailOutbox(dataSource(), settings().table(table).build());
            assertThat(new MailOutbox(dataSource(), settings().table(table).build()).entry("waiting"))
                    .as("a second start finds the table current")
                    .isPresent();
            assertThat(upgraded.entry("sent-last-week").orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
            assertThat(upgraded.entry("waiting").orElseThrow().deliveredTo()).isEmpty();

            new OutboxRelay(upgraded, transport, died::add).drainOnce();

            OutboxEntry sent = upgraded.entry("waiting").orElseThrow();
            assertThat(sent.state()).isEqualTo(OutboxState.DELIVERED);
            assertThat(sent.deliveredTo()).containsExactly("ann@example.com");
            assertThat(mailbox.withMailId("waiting")).hasSize(1);
            assertThat(mailbox.withMailId("sent-last-week")).isEmpty();
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT version FROM " + table + "_version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(OutboxDialect.SCHEMA_VERSION);
            }
        } finally {
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE " + table);
                s.executeUpdate("DROP TABLE " + table + "_version");
            }
        }
    }

    @Test
    void aCurrentTableADbaCreatedIsUsedAsItIsWithoutAVersionTable() throws SQLException {
        String table = "outbox_dba_" + Long.toHexString(System.nanoTime());
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String ddl : outbox.dialect().ddl(table)) {
                s.executeUpdate(ddl);
            }
        }
        try {
            MailOutbox started =
                    new MailOutbox(dataSource(), settings().table(table).build());
            started.enqueue(mail("in-dba-table"));
            assertThat(started.entry("in-dba-table")).isPresent();
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeQuery("SELECT version FROM " + table + "_version"))
                        .as("no table created beside the DBA's")
                        .isInstanceOf(SQLException.class);
            }
        } finally {
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE " + table);
            }
        }
    }

    /** A row as Mailpath 0.1.0 wrote it: its columns only. */
    private void insertAsVersion1(Connection c, String table, Mail mail, String state) throws SQLException {
        MailCodec.Stored stored = MailCodec.encode(mail);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (id, state, mail_json, attachments, stored_bytes, enqueued_at, due_at, attempts,"
                + " possible_duplicate, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, FALSE, ?)")) {
            ps.setString(1, mail.id());
            ps.setString(2, state);
            ps.setCharacterStream(
                    3, new StringReader(stored.json()), stored.json().length());
            ps.setBinaryStream(4, new ByteArrayInputStream(new byte[0]), 0);
            ps.setLong(5, stored.size());
            OutboxStore.setInstant(ps, 6, START);
            OutboxStore.setInstant(ps, 7, START);
            OutboxStore.setInstant(ps, 8, state.equals("DELIVERED") ? START : null);
            ps.executeUpdate();
        }
    }

    @Test
    void aDeliveredIdIsRefusedUntilItIsPurgedAfterTheRetention() {
        outbox.enqueue(mail("once"));
        relay.drainOnce();
        assertThatThrownBy(() -> outbox.enqueue(mail("once"))).isInstanceOf(DuplicateMailIdException.class);

        clock.advance(outbox.settings().deliveredRetention().plusSeconds(1));
        assertThat(relay.purgeDelivered()).isEqualTo(1);

        // After the retention the id protects nothing: the outbox guide says so.
        outbox.enqueue(mail("once"));
        relay.drainOnce();
        assertThat(mailbox.withMailId("once")).hasSize(2);
    }
}
