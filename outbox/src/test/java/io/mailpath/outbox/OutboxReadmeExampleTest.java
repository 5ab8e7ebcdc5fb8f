package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.Mailbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox guide's example, run: an embedded Derby database and the test kit's in-memory transport stand in for
 * the application's data source and its {@code MailTransport}. The routing module's {@code DocsExamplesTest} checks
 * that the guide quotes it line for line.
 */
class OutboxReadmeExampleTest {
    private DirectTransport mailTransport;
    private final List<OutboxEntry> dead = new ArrayList<>();

    @BeforeEach
    void start() {
        Mailbox.clearAll();
        mailTransport = Transports.create("memory", Map.of());
    }

    @AfterEach
    void stop() {
        mailTransport.close();
    }

    @Test
    void enqueuedMailIsSentByTheRelay() {
        DataSource dataSource = derby();
        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ana@example.org")
                .subject("Order 42 confirmed")
                .text("Thank you")
                .build();

        String sentId = example(dataSource, mailTransport, mail);

        assertThat(sentId).isEqualTo(mail.id());
        assertThat(Mailbox.of("memory").messages()).hasSize(1);
        assertThat(dead).isEmpty();
    }

    @Test
    void theReadmesTableIsTheOneTheOutboxCreatesOnPostgresql() throws IOException {
        String readme = Files.readString(Path.of("..", "docs", "guides", "outbox.md"));
        int start = readme.indexOf("```sql\nCREATE TABLE mailpath_outbox");
        assertThat(start).as("the outbox guide's DDL block").isNotNegative();
        String block = readme.substring(start + "```sql\n".length(), readme.indexOf("```", start + 6));
        // Comments and layout are the guide's; the statements must be the dialect's, word for word.
        String statements = block.lines()
                .map(line -> line.replaceAll("--.*", "").strip())
                .collect(Collectors.joining(" "))
                .replaceAll("\\s+", " ")
                .replace("( ", "(")
                .replace(" )", ")")
                .replace(" ,", ",");
        String expected = OutboxDialect.POSTGRESQL.ddl(OutboxSettings.DEFAULT_TABLE).stream()
                .map(statement -> statement + ";")
                .collect(Collectors.joining(" "));
        assertThat(statements.strip()).isEqualTo(expected);
    }

    private String example(DataSource dataSource, MailTransport mailTransport, Mail mail) {
        // docs outbox example: start
        MailOutbox outbox = new MailOutbox(dataSource, OutboxSettings.DEFAULTS); // creates the table when absent
        String id = outbox.enqueue(mail); // in the caller's transaction: nothing is sent if it rolls back

        OutboxRelay relay = new OutboxRelay(outbox, mailTransport, dead::add); // hears of each entry that dies
        // or, with streams: each entry through its own stream's transport
        // OutboxRelay relay = OutboxRelay.byStream(outbox, stream -> transportOf(stream), dead::add);
        relay.drainOnce(); // claims up to batchSize due entries, sends each, records the outcome
        relay.purgeDelivered(); // deletes delivered entries older than the retention
        // docs outbox example: end
        return id;
    }

    private static DataSource derby() {
        System.setProperty("derby.stream.error.file", "target/derby.log");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:mailpath-outbox-readme");
        dataSource.setCreateDatabase("create");
        return dataSource;
    }
}
