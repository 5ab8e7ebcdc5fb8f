package io.mailpath.outbox.cdi;

import static io.mailpath.outbox.OutboxScenarios.mail;
import static io.mailpath.outbox.cdi.ContainerOutboxes.awaitFinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.SendingDomainException;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.outbox.OutboxState;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.peers.PostgresServer;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code @Inject @MailStream("marketing") MailOutbox} on a real PostgreSQL server, its relay on the routed streams:
 * marketing sends through {@code memory-backup} only, from its own sending domain; transactional and the unnamed
 * stream through {@code memory}. The relay's tick is an hour away: each enqueue asks for the drain that sends it.
 */
@Tag("slow")
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory",
            "mailpath.stream.marketing.transports=memory-backup",
            "mailpath.stream.marketing.from-domains=news.example.com",
            "mailpath.outbox.datasource=" + OutboxStreamsInContainerTest.DATASOURCE,
            "mailpath.outbox.table=" + OutboxStreamsInContainerTest.TABLE,
            "mailpath.outbox.relay.interval-ms=3600000"
        })
class OutboxStreamsInContainerTest {
    static final String DATASOURCE = "jdbc/outbox-streams";
    static final String TABLE = "streams_container_outbox";

    private static PGSimpleDataSource database;

    @RegisterExtension
    static final BeforeAllCallback DATABASE = context -> {
        PostgresServer server = PostgresServer.of(context);
        database = new PGSimpleDataSource();
        database.setUrl(server.jdbcUrl());
        database.setUser(server.user());
        try (Connection c = database.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS " + TABLE);
            s.executeUpdate("DROP TABLE IF EXISTS " + TABLE + "_version");
        }
        ContainerOutboxes.bindAll();
        TestNaming.bind(DATASOURCE, database);
    };

    @Inject
    MailOutbox outbox;

    // docs outbox stream: start
    @Inject
    @MailStream("marketing")
    MailOutbox marketing;
    // docs outbox stream: end

    @Inject
    @MailStream("transactional")
    MailOutbox transactional;

    private final Mailbox memory = Mailbox.of("memory");
    private final Mailbox memoryBackup = Mailbox.of("memory-backup");

    private static Mail newsletter(String id) {
        return Mail.builder()
                .id(id)
                .from("news@news.example.com")
                .to("ann@example.com")
                .subject("This week")
                .text("What is new.")
                .build();
    }

    @Test
    void anEnqueueIntoAStreamFromOutsideItsSendingDomainsIsRefusedAndNothingIsStored() throws SQLException {
        assertThatThrownBy(() -> marketing.enqueue(mail("off-domain")))
                .isInstanceOf(SendingDomainException.class)
                .hasMessageContaining("example.com")
                .hasMessageContaining("marketing");

        assertThat(outbox.entry("off-domain")).isEmpty();
        assertThat(rowsWithId("off-domain")).isZero();
        // The same message is the transactional stream's to send: the guard is marketing's own.
        transactional.enqueue(mail("off-domain"));
        assertThat(rowsWithId("off-domain")).isOne();
    }

    @Test
    void eachEntryIsRelayedThroughItsOwnStream() throws Exception {
        marketing.enqueue(newsletter("newsletter"));
        transactional.enqueue(mail("receipt"));
        outbox.enqueue(mail("unnamed"));

        OutboxEntry newsletter = awaitFinished(outbox, "newsletter");
        OutboxEntry receipt = awaitFinished(outbox, "receipt");
        OutboxEntry unnamed = awaitFinished(outbox, "unnamed");

        assertThat(newsletter.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(newsletter.stream()).isEqualTo("marketing");
        assertThat(newsletter.transport()).isEqualTo("memory-backup");
        assertThat(receipt.stream()).isEqualTo("transactional");
        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(unnamed.stream()).isEqualTo(MailStream.DEFAULT);
        assertThat(unnamed.transport()).isEqualTo("memory");

        assertThat(memoryBackup.messages()).extracting(SentMail::mailId).containsExactly("newsletter");
        assertThat(memoryBackup.messages().get(0).mail().stream()).isEqualTo("marketing");
        assertThat(memory.messages()).extracting(SentMail::mailId).containsExactlyInAnyOrder("receipt", "unnamed");
        assertThat(memory.withMailId("receipt").get(0).mail().stream()).isEqualTo("transactional");
        assertThat(memory.withMailId("unnamed").get(0).mail().stream()).isEqualTo(MailStream.DEFAULT);
    }

    /**
     * An entry of a stream this deployment does not configure (it was enqueued under another configuration) is kept:
     * its try fails as a configuration error, naming the stream and the key, and it waits for its next try.
     */
    @Test
    void anEntryOfAStreamNoLongerConfiguredIsKeptWithItsError() throws Exception {
        MailOutbox earlierConfiguration = new MailOutbox(
                        database, OutboxSettings.builder().table(TABLE).build())
                .admitting(mail -> mail.inStream("seasonal"));
        earlierConfiguration.enqueue(newsletter("winter-sale"));
        outbox.enqueue(mail("nudge")); // asks for a drain, which claims both

        awaitFinished(outbox, "nudge");
        OutboxEntry kept = awaitTried(outbox, "winter-sale");
        assertThat(kept.state()).isEqualTo(OutboxState.PENDING);
        assertThat(kept.stream()).isEqualTo("seasonal");
        assertThat(kept.lastFailure()).isEqualTo(FailureKind.CONFIGURATION);
        assertThat(kept.lastError()).contains("seasonal").contains("mailpath.streams");
        assertThat(kept.possibleDuplicate()).isFalse();
        assertThat(memory.withMailId("winter-sale")).isEmpty();
        assertThat(memoryBackup.withMailId("winter-sale")).isEmpty();
    }

    private static OutboxEntry awaitTried(MailOutbox outbox, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            OutboxEntry entry = outbox.entry(id).orElseThrow();
            if (entry.lastFailure() != null) {
                return entry;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("outbox entry " + id + " not tried within 60 s: " + outbox.entry(id));
    }

    private static int rowsWithId(String id) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
