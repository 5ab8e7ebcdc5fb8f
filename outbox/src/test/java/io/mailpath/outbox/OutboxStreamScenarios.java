package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendingDomainException;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTestExtension;
import io.mailpath.testing.SentMail;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The outbox's streams on a real database: each entry keeps the stream it was enqueued into and is relayed through
 * that stream's transport; a table of the version before streams is migrated in place, its rows the unnamed stream's.
 * The in-memory transports stand for the streams' routes: {@code memory} the unnamed stream's, {@code memory-backup}
 * marketing's.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
abstract class OutboxStreamScenarios {
    private final TestClock clock = new TestClock(OutboxScenarios.START);
    private final Mailbox unnamedMailbox = Mailbox.of("memory");
    private final Mailbox marketingMailbox = Mailbox.of("memory-backup");
    private DirectTransport unnamed;
    private DirectTransport marketing;

    /** The database under test. */
    abstract DataSource dataSource();

    abstract OutboxDialect dialect();

    @BeforeEach
    void transports() {
        Mailbox.clearAll();
        unnamed = Transports.create("memory", Map.of());
        marketing = Transports.create("memory-backup", Map.of());
    }

    @AfterEach
    void closeTransports() {
        unnamed.close();
        marketing.close();
    }

    private OutboxSettings settings(String table) {
        return OutboxSettings.builder()
                .clock(clock)
                .table(table)
                .backoff(Duration.ofMinutes(1), Duration.ofMinutes(10))
                .build();
    }

    /** The streams this server knows: the unnamed one and marketing; any other is not configured. */
    private Function<String, MailTransport> streams() {
        return stream -> switch (stream) {
            case MailStream.DEFAULT -> unnamed;
            case "marketing" -> marketing;
            default -> throw new MailConfigurationException("No Mailpath stream named '" + stream
                    + "': add it to mailpath.streams and configure it under mailpath.stream." + stream + ".");
        };
    }

    @Test
    void eachEntryKeepsItsStreamAndIsRelayedThroughIt() throws SQLException {
        String table = fresh("streams_relayed");
        MailOutbox outbox = new MailOutbox(dataSource(), settings(table));
        outbox.admitting(mail -> mail.inStream("marketing")).enqueue(OutboxScenarios.mail("newsletter"));
        outbox.enqueue(OutboxScenarios.mail("receipt"));

        assertThat(outbox.entry("newsletter").orElseThrow().stream()).isEqualTo("marketing");
        assertThat(outbox.entry("receipt").orElseThrow().stream()).isEqualTo(MailStream.DEFAULT);
        assertThat(OutboxRelay.byStream(outbox, streams(), dead -> {}).drainOnce())
                .isEqualTo(2);

        assertThat(marketingMailbox.messages()).extracting(SentMail::mailId).containsExactly("newsletter");
        assertThat(marketingMailbox.messages().get(0).mail().stream()).isEqualTo("marketing");
        assertThat(unnamedMailbox.messages()).extracting(SentMail::mailId).containsExactly("receipt");
        assertThat(unnamedMailbox.messages().get(0).mail().stream()).isEqualTo(MailStream.DEFAULT);
        assertThat(outbox.entry("newsletter").orElseThrow().transport()).isEqualTo("memory-backup");
        assertThat(outbox.recentEntries(10))
                .extracting(OutboxEntry::stream)
                .containsExactlyInAnyOrder("marketing", MailStream.DEFAULT);
    }

    @Test
    void anAdmissionThatRefusesStoresNothing() throws SQLException {
        String table = fresh("streams_refused");
        MailOutbox marketingOutbox = new MailOutbox(dataSource(), settings(table)).admitting(mail -> {
            throw new SendingDomainException("marketing", "example.com", List.of("news.example.com"));
        });

        assertThatThrownBy(() -> marketingOutbox.enqueue(OutboxScenarios.mail("off-domain")))
                .isInstanceOf(SendingDomainException.class);
        assertThat(rows(table)).isZero();
    }

    /**
     * A stream this server does not know (the configuration changed since the enqueue) loses nothing: the entry
     * fails as a configuration error does, names the stream, waits its backoff, and goes out once the stream is back.
     */
    @Test
    void anEntryOfAStreamThatIsNotConfiguredIsKeptAndSentOnceItIs() throws SQLException {
        String table = fresh("streams_retired");
        MailOutbox outbox = new MailOutbox(dataSource(), settings(table));
        outbox.admitting(mail -> mail.inStream("seasonal")).enqueue(OutboxScenarios.mail("winter-sale"));

        assertThat(OutboxRelay.byStream(outbox, streams(), dead -> {}).drainOnce())
                .isEqualTo(1);

        OutboxEntry waiting = outbox.entry("winter-sale").orElseThrow();
        assertThat(waiting.state()).isEqualTo(OutboxState.PENDING);
        assertThat(waiting.stream()).isEqualTo("seasonal");
        assertThat(waiting.lastFailure()).isEqualTo(FailureKind.CONFIGURATION);
        assertThat(waiting.lastError()).contains("stream 'seasonal'").contains("mailpath.streams");
        assertThat(waiting.possibleDuplicate()).as("nothing was sent").isFalse();
        assertThat(waiting.dueAt()).isAfter(clock.instant());
        assertThat(unnamedMailbox.messages()).isEmpty();
        assertThat(marketingMailbox.messages()).isEmpty();

        // The stream is configured again (here: on the marketing route); after the backoff the entry goes out.
        clock.advance(Duration.ofMinutes(2));
        Function<String, MailTransport> withSeasonal =
                stream -> stream.equals("seasonal") ? marketing : streams().apply(stream);
        assertThat(OutboxRelay.byStream(outbox, withSeasonal, dead -> {}).drainOnce())
                .isEqualTo(1);
        assertThat(outbox.entry("winter-sale").orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(marketingMailbox.messages().get(0).mail().stream()).isEqualTo("seasonal");
    }

    /** A relay built with one transport (the form before streams) sends every entry through it, as before. */
    @Test
    void aRelayWithOneTransportSendsEveryStreamThroughIt() throws SQLException {
        String table = fresh("streams_one_transport");
        MailOutbox outbox = new MailOutbox(dataSource(), settings(table));
        outbox.admitting(mail -> mail.inStream("marketing")).enqueue(OutboxScenarios.mail("newsletter"));
        outbox.enqueue(OutboxScenarios.mail("receipt"));

        assertThat(new OutboxRelay(outbox, unnamed).drainOnce()).isEqualTo(2);

        assertThat(unnamedMailbox.messages())
                .extracting(SentMail::mailId)
                .containsExactlyInAnyOrder("newsletter", "receipt");
    }

    @Test
    void aTableOfTheVersionBeforeStreamsIsMigratedAndItsRowsRelayThroughTheUnnamedStream() throws SQLException {
        String table = fresh("streams_v2");
        createAtVersionTwo(table, true);
        insertAsVersionTwo(table, OutboxScenarios.mail("from-before"));

        MailOutbox outbox = new MailOutbox(dataSource(), settings(table));

        assertThat(recordedVersion(table)).isEqualTo(OutboxDialect.SCHEMA_VERSION);
        OutboxEntry before = outbox.entry("from-before").orElseThrow();
        assertThat(before.stream()).isEqualTo(MailStream.DEFAULT);
        assertThat(before.state()).isEqualTo(OutboxState.PENDING);
        outbox.admitting(mail -> mail.inStream("marketing")).enqueue(OutboxScenarios.mail("after"));

        assertThat(OutboxRelay.byStream(outbox, streams(), dead -> {}).drainOnce())
                .isEqualTo(2);

        assertThat(unnamedMailbox.messages()).extracting(SentMail::mailId).containsExactly("from-before");
        assertThat(unnamedMailbox.messages().get(0).mail().stream()).isEqualTo(MailStream.DEFAULT);
        assertThat(marketingMailbox.messages()).extracting(SentMail::mailId).containsExactly("after");
        assertThat(outbox.entry("from-before").orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
    }

    /**
     * A table at version 2 that recorded no version (a DBA made it from the documented DDL) is taken for version 1;
     * the step that adds version 2's columns finds them there and is passed over.
     */
    @Test
    void aTableAtVersionTwoWithoutARecordedVersionIsMigratedToo() throws SQLException {
        String table = fresh("streams_v2_unrecorded");
        createAtVersionTwo(table, false);
        insertAsVersionTwo(table, OutboxScenarios.mail("unrecorded"));

        MailOutbox outbox = new MailOutbox(dataSource(), settings(table));

        assertThat(recordedVersion(table)).isEqualTo(OutboxDialect.SCHEMA_VERSION);
        assertThat(outbox.entry("unrecorded").orElseThrow().stream()).isEqualTo(MailStream.DEFAULT);
        assertThat(OutboxRelay.byStream(outbox, streams(), dead -> {}).drainOnce())
                .isEqualTo(1);
        assertThat(unnamedMailbox.messages()).extracting(SentMail::mailId).containsExactly("unrecorded");
    }

    /** Servers that start at once on a table of the version before streams all start; one of them migrates it. */
    @Test
    void serversMigratingTheSameTableAtOnceAllStart() throws Exception {
        int servers = 4;
        ExecutorService starting = Executors.newFixedThreadPool(servers);
        try {
            for (int round = 0; round < 3; round++) {
                String table = fresh("streams_race_" + round);
                createAtVersionTwo(table, true);
                insertAsVersionTwo(table, OutboxScenarios.mail("waiting-" + round));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<MailOutbox>> started = new ArrayList<>();
                for (int i = 0; i < servers; i++) {
                    started.add(starting.submit(() -> {
                        go.await();
                        return new MailOutbox(dataSource(), settings(table));
                    }));
                }
                go.countDown();
                for (Future<MailOutbox> server : started) {
                    assertThat(server.get(120, TimeUnit.SECONDS).entry("waiting-" + round))
                            .hasValueSatisfying(e -> assertThat(e.stream()).isEqualTo(MailStream.DEFAULT));
                }
                assertThat(recordedVersion(table)).isEqualTo(OutboxDialect.SCHEMA_VERSION);
            }
        } finally {
            starting.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- the old table

    /**
     * The table as the Mailpath before streams left it: version 1's and version 2's statements, and (when {@code
     * recorded}) its version table at 2.
     */
    private void createAtVersionTwo(String table, boolean recorded) throws SQLException {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (int version = 1; version <= 2; version++) {
                for (String ddl : dialect().migration(table, version)) {
                    s.executeUpdate(ddl);
                }
            }
            if (recorded) {
                s.executeUpdate("CREATE TABLE " + table
                        + "_version (id INTEGER NOT NULL PRIMARY KEY, version INTEGER NOT NULL)");
                s.executeUpdate("INSERT INTO " + table + "_version (id, version) VALUES (1, 2)");
            }
        }
    }

    /** A pending row as the Mailpath before streams inserted it: no stream column. */
    private void insertAsVersionTwo(String table, Mail mail) throws SQLException {
        String json = MailCodec.encode(mail).json();
        try (Connection c = dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                        + " (id, state, mail_json, attachments, stored_bytes, enqueued_at, due_at, attempts,"
                        + " possible_duplicate) VALUES (?, 'PENDING', ?, NULL, ?, ?, ?, 0, FALSE)")) {
            ps.setString(1, mail.id());
            ps.setCharacterStream(2, new StringReader(json), json.length());
            ps.setLong(3, json.length());
            OutboxStore.setInstant(ps, 4, clock.instant());
            OutboxStore.setInstant(ps, 5, clock.instant());
            ps.executeUpdate();
        }
    }

    private int recordedVersion(String table) throws SQLException {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM " + table + "_version WHERE id = 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private int rows(String table) throws SQLException {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A table name with no table (nor version table) behind it, whatever an earlier run left. */
    private String fresh(String table) throws SQLException {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String name : List.of(table, table + "_version")) {
                try {
                    s.executeUpdate("DROP TABLE " + name);
                } catch (SQLException absent) {
                    // not there: nothing to drop
                }
            }
        }
        return table;
    }
}
