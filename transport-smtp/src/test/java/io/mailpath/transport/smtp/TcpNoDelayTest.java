package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.TransportConfig;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nagle's algorithm is off on the socket Jakarta Mail talks to the server over, in every mode, for Mailpath's session
 * and a container's: read from the socket Angus connected to a real server on loopback, after the handshake and AUTH,
 * while the certificate and host name checks stay as they were (the test server's certificate is trusted through
 * Mailpath's trust store or the container session's {@code ssl.trust} host list, and a message goes through).
 */
class TcpNoDelayTest {
    @TempDir
    static Path dir;

    static TestTls tls;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.create(dir);
    }

    private static Map<String, String> config(TestSmtpServer server, String mode) {
        Map<String, String> c = new HashMap<>();
        c.put("mailpath.smtp.host", "127.0.0.1");
        c.put("mailpath.smtp.port", String.valueOf(server.port()));
        if (mode.equals("plaintext")) {
            c.put("mailpath.smtp.insecure-plaintext", "true");
        } else {
            c.put("mailpath.smtp.tls", mode);
            c.put("mailpath.smtp.username", TestSmtpServer.USER);
            c.put("mailpath.smtp.password", TestSmtpServer.PASSWORD);
            c.put("mailpath.smtp.trust-store", tls.trustStore.toString());
            c.put("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
        }
        return c;
    }

    /** The socket Angus's SMTP transport talks to the server over (a private field: read for this test only). */
    private static Socket socketOf(Transport t) throws ReflectiveOperationException {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("serverSocket");
                f.setAccessible(true);
                return (Socket) f.get(t);
            } catch (NoSuchFieldException e) {
                // declared by a superclass
            }
        }
        throw new NoSuchFieldException("serverSocket in " + t.getClass());
    }

    private static MailSentOver sendOverOwnSession(TestSmtpServer.Tls serverMode, String mode) throws Exception {
        try (TestSmtpServer server = new TestSmtpServer(serverMode, tls, !mode.equals("plaintext"))) {
            TransportConfig config = TransportConfig.of("smtp", TransportConfig.configOf(config(server, mode)));
            SmtpSettings settings = SmtpSettings.from(config);
            Session session = SmtpSessions.create(settings, config);
            Transport t = session.getTransport(settings.protocol());
            if (settings.username.isPresent()) {
                t.connect(settings.host, settings.port, TestSmtpServer.USER, TestSmtpServer.PASSWORD);
            } else {
                t.connect(settings.host, settings.port, null, null);
            }
            try {
                Socket socket = socketOf(t);
                SmtpComposer composer = new SmtpComposer(session, null, false);
                SmtpComposer.Outgoing part = composer.compose(mail()).get(0);
                t.sendMessage(composer.message(part), part.envelope());
                return new MailSentOver(socket, socket.getTcpNoDelay(), server.received.size());
            } finally {
                t.close();
            }
        }
    }

    private record MailSentOver(Socket socket, boolean noDelay, int received) {}

    private static Mail mail() {
        return Mail.builder()
                .from("sender@example.com")
                .to("rcpt@example.org")
                .subject("No delay")
                .text("x")
                .build();
    }

    @Test
    void startTlsSocketHasNoDelayAfterTheHandshake() throws Exception {
        assertNoDelayAndDelivered(sendOverOwnSession(TestSmtpServer.Tls.STARTTLS_REQUIRED, "starttls"), true);
    }

    @Test
    void implicitTlsSocketHasNoDelay() throws Exception {
        assertNoDelayAndDelivered(sendOverOwnSession(TestSmtpServer.Tls.IMPLICIT, "implicit"), true);
    }

    @Test
    void plaintextSocketHasNoDelay() throws Exception {
        assertNoDelayAndDelivered(sendOverOwnSession(TestSmtpServer.Tls.NONE, "plaintext"), false);
    }

    private static void assertNoDelayAndDelivered(MailSentOver sent, boolean tlsLayered) {
        assertThat(sent.socket instanceof SSLSocket).isEqualTo(tlsLayered);
        assertThat(sent.noDelay).isTrue();
        assertThat(sent.received).isEqualTo(1);
    }

    @Test
    void theSessionNamesMailpathsFactoriesUnderTheKeysAngusReads() {
        try (TestSmtpServer server = new TestSmtpServer(TestSmtpServer.Tls.IMPLICIT, tls, true)) {
            TransportConfig config = TransportConfig.of("smtp", TransportConfig.configOf(config(server, "implicit")));
            Session session = SmtpSessions.create(SmtpSettings.from(config), config);
            assertThat(session.getProperties().get("mail.smtps.socketFactory")).isSameAs(NoDelaySockets.plain());
            assertThat(String.valueOf(session.getProperties().get("mail.smtps.ssl.socketFactory")))
                    .startsWith("NoDelaySockets.tls(");
        }
    }

    /** A container's session: STARTTLS, AUTH through its own authenticator, the test server trusted by host name. */
    private static Session containerSession(TestSmtpServer server) {
        Properties p = ContainerSessionChecksTest.acceptable();
        p.put("mail.smtp.port", String.valueOf(server.port()));
        p.put("mail.smtp.user", TestSmtpServer.USER);
        p.put("mail.smtp.ssl.trust", "127.0.0.1");
        return Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(TestSmtpServer.USER, TestSmtpServer.PASSWORD);
            }
        });
    }

    @Test
    void aContainerSessionGetsNoDelayWithItsOwnTrustAndCredentialsAndIsLeftUnchanged() throws Exception {
        try (TestSmtpServer server = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true)) {
            Session container = containerSession(server);

            // Without Mailpath's factory, Jakarta Mail leaves Nagle's algorithm on: what this test tells apart.
            Transport plain = container.getTransport("smtp");
            plain.connect();
            try {
                assertThat(socketOf(plain).getTcpNoDelay()).isFalse();
            } finally {
                plain.close();
            }

            Transport t = SmtpSessions.withNoDelay(container, "smtp").getTransport("smtp");
            t.connect();
            try {
                assertThat(socketOf(t)).isInstanceOf(SSLSocket.class);
                assertThat(socketOf(t).getTcpNoDelay()).isTrue();
            } finally {
                t.close();
            }
            assertThat(container.getProperties()).doesNotContainKey("mail.smtp.socketFactory");

            Map<String, String> keys = Map.of("mailpath.smtp.session-jndi", "mail/test");
            try (SmtpTransport smtp = new SmtpTransport(
                    new SmtpTransportProvider(),
                    TransportConfig.of("smtp", TransportConfig.configOf(keys)),
                    container)) {
                SendReceipt receipt = smtp.send(mail());
                assertThat(receipt.accepted()).containsExactly("rcpt@example.org");
            }
            assertThat(server.received).hasSize(1);
        }
    }
}
