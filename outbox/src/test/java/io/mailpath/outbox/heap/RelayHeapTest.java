package io.mailpath.outbox.heap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The heap a relay needs does not grow with its batch: {@link RelayHeapMain}, in a JVM of its own with a 128 MB heap,
 * drains 16 entries of 8 MB each in one batch of the default size (20). Reading the whole batch before the first send
 * needs more than twice that heap and ran out of it, again at every claim.
 */
@Tag("slow")
class RelayHeapTest {
    static final String HEAP = "-Xmx128m";
    static final int ENTRIES = 16;
    static final int ATTACHMENT_BYTES = 8 * 1024 * 1024;

    @Test
    void aBatchOfLargeEntriesIsSentInAHeapSmallerThanTheBatch() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "relay-heap"));
        String database =
                dir.resolve("db-" + Long.toHexString(System.nanoTime())).toString();
        System.setProperty("derby.stream.error.file", database + "-enqueue.log");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(database);
        dataSource.setCreateDatabase("create");
        MailOutbox outbox = new MailOutbox(dataSource, OutboxSettings.DEFAULTS);
        Random random = new Random(21);
        for (int i = 0; i < ENTRIES; i++) {
            byte[] content = new byte[ATTACHMENT_BYTES];
            random.nextBytes(content);
            outbox.enqueue(Mail.builder()
                    .id("large-" + i)
                    .from("reports@example.com")
                    .to("ann@example.org")
                    .subject("Report " + i)
                    .text("Attached.")
                    .attach(Attachment.named("report-" + i + ".bin")
                            .type("application/octet-stream")
                            .bytes(content))
                    .build());
        }
        shutDown(database); // embedded Derby: one JVM at a time

        // Surefire may start the test JVM through a manifest-only jar; it names the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(
                        java.toString(),
                        HEAP,
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        classPath,
                        RelayHeapMain.class.getName(),
                        database,
                        String.valueOf(ENTRIES)))
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        boolean ended = child.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ended).as("the child ended in time; its output:%n%s", output).isTrue();
        // 3 is -XX:+ExitOnOutOfMemoryError's exit code.
        assertThat(child.exitValue())
                .as("exit code of the relay's JVM (%s); its output:%n%s", HEAP, output)
                .isZero();
        assertThat(output).contains("one drain claimed " + ENTRIES + " and delivered " + ENTRIES + " of " + ENTRIES);
        System.out.println(output.strip());
    }

    private static void shutDown(String database) {
        try {
            DriverManager.getConnection("jdbc:derby:" + database + ";shutdown=true")
                    .close();
        } catch (SQLException e) {
            // Derby reports a clean shutdown of one database as SQLState 08006.
            assertThat(e.getSQLState()).as("Derby shut down %s", database).isEqualTo("08006");
        }
    }
}
