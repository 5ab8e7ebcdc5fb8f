package io.mailpath.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one SMTP message with a 10 MB file attachment costs in heap: a child JVM ({@link SmtpHeapProbe}) whose heap is
 * smaller than twice the attachment sends it over STARTTLS to a server in this JVM that counts without keeping it. The
 * attachment is base64-encoded while the message is written, from the file: a transport that held the content, or
 * its base64 (1.33 times the file), would not fit.
 */
class SmtpHeapTest {
    private static final long ATTACHMENT = 10L * 1024 * 1024;
    private static final String HEAP = "-Xmx20m";

    @TempDir
    Path dir;

    @Test
    void aTenMegabyteFileAttachmentFitsInASmallHeap() throws Exception {
        byte[] content = new byte[(int) ATTACHMENT];
        new Random(13).nextBytes(content);
        Path file = Files.write(dir.resolve("large.bin"), content);
        TestTls tls = TestTls.create(dir);
        try (TestSmtpServer server = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true)) {
            server.keepReceived = false;
            // Surefire may start the test JVM through a manifest-only jar; it names the real class path here.
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            HEAP,
                            "-XX:+UseSerialGC",
                            "-XX:+ExitOnOutOfMemoryError",
                            "-cp",
                            classPath,
                            SmtpHeapProbe.class.getName(),
                            file.toString(),
                            String.valueOf(server.port()),
                            tls.trustStore.toString(),
                            new String(TestTls.PASSWORD)))
                    .redirectErrorStream(true)
                    .start();
            child.getOutputStream().close();
            String output;
            try (InputStream in = child.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            System.out.println("SMTP heap test: attachment " + ATTACHMENT + " bytes, child heap " + HEAP
                    + ", the server accepted " + server.accepted.get() + " message(s)" + System.lineSeparator()
                    + output.lines().filter(l -> l.startsWith("probe:")).reduce("", (a, b) -> a + b + "\n"));

            // 3 is -XX:+ExitOnOutOfMemoryError's exit code.
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(server.accepted.get()).isEqualTo(1);
        }
    }
}
