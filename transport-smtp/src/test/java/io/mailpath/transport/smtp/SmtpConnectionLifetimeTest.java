package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.Transports;
import io.mailpath.testing.LiveConfigSource;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.mail.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's connection lifetime (a rotated password applies once it has passed) and the closing threads every pool
 * shares, against a real SMTP server. The pool's clock is the test's: a connection ages when the test says so.
 */
class SmtpConnectionLifetimeTest {
    private static final long LIFETIME_MS = 60_000;

    @TempDir
    static Path dir;

    static TestTls tls;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.create(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TestSmtpServer server(TestSmtpServer.Tls mode, boolean auth) {
        TestSmtpServer s = new TestSmtpServer(mode, tls, auth);
        open.add(s);
        return s;
    }

    private void advance(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private static Mail mail(String text) {
        return Mail.builder()
                .from("sender@example.com")
                .to("rcpt@example.org")
                .subject("Hello")
                .text(text)
                .build();
    }

    @Test
    void aRotatedPasswordAppliesOnceTheConnectionsLifetimeHasPassed() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = new HashMap<>();
        config.put("mailpath.smtp.host", "127.0.0.1");
        config.put("mailpath.smtp.port", String.valueOf(server.port()));
        config.put("mailpath.smtp.username", TestSmtpServer.USER);
        config.put("mailpath.smtp.password", TestSmtpServer.PASSWORD);
        config.put("mailpath.smtp.trust-store", tls.trustStore.toString());
        config.put("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
        config.put("mailpath.smtp.pool.max-lifetime-ms", String.valueOf(LIFETIME_MS));
        // Only the lifetime retires a connection here, however far the test moves the clock.
        config.put("mailpath.smtp.pool.max-idle-ms", "86400000");
        config.put("mailpath.smtp.pool.validate-after-idle-ms", "86400000");
        LiveConfigSource live = new LiveConfigSource(config);
        SmtpTransport smtp = new SmtpTransport(
                new SmtpTransportProvider(),
                TransportConfig.of(
                        "smtp", new SmallRyeConfigBuilder().withSources(live).build()),
                null,
                nanos::get);
        open.add(smtp);

        smtp.send(mail("before the rotation"));
        assertThat(server.connections).hasValue(1);

        // The key is rotated at the relay and in the configuration; the old one no longer logs in.
        String rotated = "rotated-api-key-9876543210";
        server.password = rotated;
        live.put("mailpath.smtp.password", rotated);

        // Younger than the shortest lifetime (the maximum less 10%): the logged-in connection is still used.
        advance(LIFETIME_MS * 9 / 10 - 1_000);
        smtp.send(mail("within the lifetime"));
        assertThat(server.connections).hasValue(1);

        // Older than the longest lifetime: the connection is retired when taken, and the next logs in with the new key.
        advance(LIFETIME_MS / 10 + 2_000);
        smtp.send(mail("after the lifetime"));
        assertThat(server.connections).hasValue(2);
        assertThat(server.received).hasSize(3);
        // The retired connection was closed (in the background); the new one stays in the pool.
        assertThat(eventually(server::openConnections, 1)).isTrue();
    }

    @Test
    void aConnectionThatOutlivesItsLifetimeWhileSendingIsRetiredWhenGivenBack() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        SmtpConnectionPool pool = pool(session(server), 4);

        SmtpConnectionPool.Connection c = pool.acquire();
        advance(LIFETIME_MS + 1);
        pool.release(c, true, true);

        assertThat(pool.state().idle()).isZero();
        SmtpConnectionPool.Connection next = pool.acquire();
        assertThat(next.reused).isFalse();
        pool.release(next, true, true);
        assertThat(server.connections).hasValue(2);
        assertThat(eventually(server::openConnections, 1)).isTrue();
    }

    @Test
    void connectionsOpenedTogetherGetLifetimesSpreadOverTheLastTenthOfTheMaximum() {
        Session session = Session.getInstance(new Properties());
        int count = 20;
        // Transports that are never connected: the pool only stamps them.
        SmtpConnectionPool pool = new SmtpConnectionPool(
                () -> session.getTransport("smtp"),
                "nowhere",
                count,
                100,
                60_000,
                LIFETIME_MS,
                2_000,
                1_000,
                nanos::get);
        open.add(pool);

        Set<Long> expiries = new HashSet<>();
        for (int i = 0; i < count; i++) {
            long expiresAt = pool.acquire().expiresAt;
            assertThat(expiresAt)
                    .isBetween(
                            TimeUnit.MILLISECONDS.toNanos(LIFETIME_MS * 9 / 10),
                            TimeUnit.MILLISECONDS.toNanos(LIFETIME_MS));
            expiries.add(expiresAt);
        }
        // Drawn from six billion nanoseconds: twenty connections never all share one.
        assertThat(expiries).hasSizeGreaterThan(1);
    }

    @Test
    void manyClosesShareTheFewClosingThreads() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        Map<String, String> config = new HashMap<>();
        config.put("mailpath.smtp.host", "127.0.0.1");
        config.put("mailpath.smtp.port", String.valueOf(server.port()));
        config.put("mailpath.smtp.insecure-plaintext", "true");
        // Every connection is retired, and closed, after its one message.
        config.put("mailpath.smtp.pool.max-messages-per-connection", "1");
        DirectTransport smtp = Transports.create("smtp", config);
        open.add(smtp);
        int startedBefore = SmtpConnectionPool.closingThreadsStarted();

        int messages = 40;
        for (int i = 0; i < messages; i++) {
            smtp.send(mail("message " + i));
        }

        assertThat(server.connections).hasValue(messages);
        assertThat(eventually(server::openConnections, 0)).isTrue();
        // Forty closes; a thread per close would have started forty threads.
        assertThat(SmtpConnectionPool.closingThreadsStarted() - startedBefore)
                .isLessThanOrEqualTo(SmtpConnectionPool.CLOSING_THREADS);
    }

    @Test
    void theLifetimeMustBePositive() {
        Map<String, String> config = new HashMap<>();
        config.put("mailpath.smtp.host", "127.0.0.1");
        config.put("mailpath.smtp.insecure-plaintext", "true");
        config.put("mailpath.smtp.pool.max-lifetime-ms", "0");
        assertThatThrownBy(() -> Transports.create("smtp", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.smtp.pool.max-lifetime-ms");
    }

    private static Session session(TestSmtpServer server) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(server.port()));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        p.put("mail.smtp.quitwait", "false");
        return Session.getInstance(p);
    }

    private SmtpConnectionPool pool(Session session, int maxConnections) {
        SmtpConnectionPool pool = new SmtpConnectionPool(
                () -> {
                    jakarta.mail.Transport t = session.getTransport("smtp");
                    t.connect();
                    return t;
                },
                "test server",
                maxConnections,
                100,
                86_400_000,
                LIFETIME_MS,
                86_400_000,
                5_000,
                nanos::get);
        open.add(pool);
        return pool;
    }

    /** Waits, generously, for a figure the background closes bring about. */
    private static boolean eventually(IntSupplier figure, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (figure.getAsInt() != expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
