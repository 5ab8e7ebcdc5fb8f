package io.mailpath.demo;

import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The demo's SMTP relay when no real one is configured: an in-process SMTP server on loopback with STARTTLS and AUTH,
 * and a self-signed certificate that only this demo's configuration trusts.
 *
 * <p>It is a MicroProfile Config source of low ordinal: asked for a {@code mailpath.smtp.*} key, it starts the relay
 * (once) and answers with its address and credentials. Any other source (the environment, {@code server.xml}) wins, and
 * when {@code MAILPATH_SMTP_HOST} or {@code -Dmailpath.smtp.host} is set the relay does not start at all.
 */
public class EmbeddedRelay implements ConfigSource {
    private static final Logger LOG = Logger.getLogger(EmbeddedRelay.class.getName());
    private static final Set<String> KEYS = Set.of(
            "mailpath.smtp.host",
            "mailpath.smtp.port",
            "mailpath.smtp.username",
            "mailpath.smtp.password",
            "mailpath.smtp.trust-store",
            "mailpath.smtp.trust-store-password");

    private static TestSmtpServer server;
    private static Map<String, String> values;

    /** Whether a real SMTP host is configured, so that no relay is needed. */
    static boolean realHostConfigured() {
        return System.getenv("MAILPATH_SMTP_HOST") != null || System.getProperty("mailpath.smtp.host") != null;
    }

    /** The running relay, or null. */
    static synchronized TestSmtpServer server() {
        return server;
    }

    private static synchronized Map<String, String> values() {
        if (values == null) {
            try {
                Path dir = Files.createTempDirectory("mailpath-demo-relay");
                TestTls tls = TestTls.create(dir);
                server = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true);
                values = Map.of(
                        "mailpath.smtp.host",
                        "127.0.0.1",
                        "mailpath.smtp.port",
                        String.valueOf(server.port()),
                        "mailpath.smtp.username",
                        TestSmtpServer.USER,
                        "mailpath.smtp.password",
                        TestSmtpServer.PASSWORD,
                        "mailpath.smtp.trust-store",
                        tls.trustStore.toString(),
                        "mailpath.smtp.trust-store-password",
                        new String(TestTls.PASSWORD));
                LOG.info(() -> "Demo SMTP relay (STARTTLS, AUTH) listening on 127.0.0.1:" + server.port());
            } catch (Exception e) {
                throw new IllegalStateException("The demo's SMTP relay cannot start", e);
            }
        }
        return values;
    }

    static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
            values = null;
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return realHostConfigured() ? Set.of() : KEYS;
    }

    @Override
    public String getValue(String name) {
        if (!KEYS.contains(name) || realHostConfigured()) {
            return null;
        }
        return values().get(name);
    }

    @Override
    public String getName() {
        return "mailpath-demo-embedded-relay";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
