package io.mailpath.health;

import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario with the real SMTP transport and the kit's SMTP server on loopback (STARTTLS and AUTH). The server's
 * port and trust store reach the transport as system properties, set before the container starts: a test's own
 * configuration cannot know them.
 */
abstract class SmtpScenario extends ReadinessScenario {
    private static final List<String> PEER_KEYS =
            List.of("mailpath.smtp.port", "mailpath.smtp.trust-store", "mailpath.smtp.trust-store-password");

    @TempDir
    static Path dir;

    static TestSmtpServer smtp;

    @BeforeAll
    static void startRelay() throws Exception {
        TestTls tls = TestTls.create(dir);
        smtp = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true);
        System.setProperty("mailpath.smtp.port", String.valueOf(smtp.port()));
        System.setProperty("mailpath.smtp.trust-store", tls.trustStore.toString());
        System.setProperty("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
    }

    @AfterAll
    static void stopRelay() {
        PEER_KEYS.forEach(System::clearProperty);
        smtp.close();
    }
}
