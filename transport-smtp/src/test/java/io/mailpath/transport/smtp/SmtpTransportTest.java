package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Attachment;
import io.mailpath.FailureKind;
import io.mailpath.InvalidMailException;
import io.mailpath.Mail;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.LiveConfigSource;
import io.mailpath.testing.peers.FaultyProxy;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP transport against a real SMTP server on loopback with STARTTLS and AUTH. */
class SmtpTransportTest {
    @TempDir
    static Path dir;

    static TestTls tls;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.create(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        // Transports first, so that the server sees its sessions end before it stops.
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TestSmtpServer server(TestSmtpServer.Tls mode, boolean auth) {
        TestSmtpServer s = new TestSmtpServer(mode, tls, auth);
        open.add(s);
        return s;
    }

    private Map<String, String> config(TestSmtpServer server) {
        Map<String, String> c = new HashMap<>();
        c.put("mailpath.smtp.host", "127.0.0.1");
        c.put("mailpath.smtp.port", String.valueOf(server.port()));
        c.put("mailpath.smtp.username", TestSmtpServer.USER);
        c.put("mailpath.smtp.password", TestSmtpServer.PASSWORD);
        c.put("mailpath.smtp.trust-store", tls.trustStore.toString());
        c.put("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
        c.put("mailpath.smtp.connect-timeout-ms", "2000");
        c.put("mailpath.smtp.read-timeout-ms", "5000");
        c.put("mailpath.smtp.write-timeout-ms", "5000");
        return c;
    }

    private DirectTransport transport(Map<String, String> config) {
        DirectTransport t = Transports.create("smtp", config);
        open.add(t);
        return t;
    }

    private static Mail.Builder simple() {
        return Mail.builder()
                .from("sender@example.com", "Sender")
                .to("rcpt@example.org")
                .subject("Hello");
    }

    @Test
    void deliversOverStartTlsWithAuthAndReturnsTheMessageIdReceived() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        Mail mail = simple().text("Plain body").metadata("orderId", "1234").build();
        SendReceipt receipt = smtp.send(mail);

        assertThat(server.received).hasSize(1);
        TestSmtpServer.Received got = server.received.get(0);
        assertThat(got.from()).isEqualTo("sender@example.com");
        assertThat(got.recipients()).containsExactly("rcpt@example.org");
        assertThat(receipt.transport()).isEqualTo("smtp");
        assertThat(receipt.mailId()).isEqualTo(mail.id());
        assertThat(receipt.messageId()).isEqualTo(got.message().getMessageID());
        assertThat(receipt.messageId()).isEqualTo("<" + mail.id() + "@example.com>");
        assertThat(receipt.accepted()).containsExactly("rcpt@example.org");
        assertThat(receipt.rejected()).isEmpty();
        assertThat(receipt.attempts()).singleElement().satisfies(a -> {
            assertThat(a.transport()).isEqualTo("smtp");
            assertThat(a.isSuccess()).isTrue();
        });
        assertThat(got.message().getHeader("X-Mailpath-Id", null)).isEqualTo(mail.id());
        // Metadata is the sender's: not written to the message without the opt-in.
        assertThat(got.message().getHeader("X-Mailpath-Metadata")).isNull();
        // SMTP ends the data with a line break.
        assertThat(got.message().getContent().toString().stripTrailing()).isEqualTo("Plain body");
    }

    @Test
    void deliversEveryPartOfARichMessage() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        byte[] pdf = new byte[70_000];
        new java.util.Random(7).nextBytes(pdf);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3};

        Mail mail = Mail.builder()
                .from("billing@example.com", "Zoë Müller")
                .to("a@example.org")
                .cc("c@example.org")
                .bcc("hidden@example.org")
                .replyTo("help@example.com", "support@example.com")
                .subject("Ihre Rechnung – 10 € ✓")
                .text("Text body")
                .html("<p>HTML <img src=\"cid:logo\"></p>")
                .header("X-Campaign", "spring")
                .attach(Attachment.named("rechnung.pdf").type("application/pdf").bytes(pdf))
                .attach(Attachment.inline("logo")
                        .named("logo.png")
                        .type("image/png")
                        .bytes(png))
                .build();
        smtp.send(mail);

        TestSmtpServer.Received got = server.received.get(0);
        MimeMessage m = got.message();
        assertThat(got.recipients()).containsExactlyInAnyOrder("a@example.org", "c@example.org", "hidden@example.org");
        assertThat(new String(got.raw(), StandardCharsets.US_ASCII)).doesNotContainIgnoringCase("hidden@example.org");
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getSubject()).isEqualTo("Ihre Rechnung – 10 € ✓");
        assertThat(((jakarta.mail.internet.InternetAddress) m.getFrom()[0]).getPersonal())
                .isEqualTo("Zoë Müller");
        assertThat(m.getReplyTo())
                .extracting(Object::toString)
                .containsExactly("help@example.com", "support@example.com");
        assertThat(m.getHeader("X-Campaign", null)).isEqualTo("spring");

        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertThat(m.getContentType()).startsWith("multipart/mixed");
        MimeMultipart related = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("multipart/related");
        MimeMultipart alternative = (MimeMultipart) related.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Text body");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>HTML <img src=\"cid:logo\"></p>");
        jakarta.mail.internet.MimeBodyPart logo = (jakarta.mail.internet.MimeBodyPart) related.getBodyPart(1);
        assertThat(logo.getContentID()).isEqualTo("<logo>");
        assertThat(logo.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(logo.getInputStream().readAllBytes()).isEqualTo(png);
        jakarta.mail.BodyPart attached = mixed.getBodyPart(1);
        assertThat(attached.getFileName()).isEqualTo("rechnung.pdf");
        assertThat(attached.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attached.getContentType()).startsWith("application/pdf");
        assertThat(attached.getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void streamsAFileAttachment() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        byte[] content = "col1,col2\n1,2\n".getBytes(StandardCharsets.UTF_8);
        Path file = java.nio.file.Files.write(dir.resolve("report.csv"), content);

        smtp.send(simple().text("see file")
                .attach(Attachment.named("report.csv").type("text/csv").file(file))
                .build());

        MimeMultipart mixed = (MimeMultipart) server.received.get(0).message().getContent();
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(content);
    }

    @Test
    void sendsOneMessagePerRecipientWithTheirOwnData() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.org", "bob@example.org")
                .subject("Hi {{name}}")
                .text("Dear {{name}}, your code is {{code}}.")
                .html("<p>Dear {{name}}</p>")
                .substitution("code", "XYZ")
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("bob@example.org", Map.of("name", "Bob <b>", "code", "B-1"))
                .build();
        SendReceipt receipt = smtp.send(mail);

        assertThat(server.received).hasSize(2);
        assertThat(receipt.deliveries()).hasSize(2);
        Map<String, MimeMessage> byRecipient = new HashMap<>();
        for (TestSmtpServer.Received r : server.received) {
            assertThat(r.recipients()).hasSize(1);
            byRecipient.put(r.recipients().get(0), r.message());
        }
        MimeMessage ann = byRecipient.get("ann@example.org");
        MimeMessage bob = byRecipient.get("bob@example.org");
        assertThat(ann.getSubject()).isEqualTo("Hi Ann");
        assertThat(bob.getSubject()).isEqualTo("Hi Bob <b>");
        MimeMultipart annBody = (MimeMultipart) ann.getContent();
        assertThat(annBody.getBodyPart(0).getContent()).isEqualTo("Dear Ann, your code is XYZ.");
        MimeMultipart bobBody = (MimeMultipart) bob.getContent();
        assertThat(bobBody.getBodyPart(0).getContent()).isEqualTo("Dear Bob <b>, your code is B-1.");
        assertThat(bobBody.getBodyPart(1).getContent()).isEqualTo("<p>Dear Bob &lt;b&gt;</p>");
        assertThat(ann.getHeader("To", null)).isEqualTo("ann@example.org");
        assertThat(receipt.deliveries())
                .extracting(d -> d.messageId())
                .containsExactly(ann.getMessageID(), bob.getMessageID())
                .doesNotHaveDuplicates();
        assertThat(ann.getHeader("X-Mailpath-Id", null)).isEqualTo(mail.id());
        assertThat(bob.getHeader("X-Mailpath-Id", null)).isEqualTo(mail.id());
    }

    @Test
    void refusesAServerThatDoesNotOfferStartTls() {
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        Map<String, String> config = config(server);
        config.remove("mailpath.smtp.username");
        config.remove("mailpath.smtp.password");
        DirectTransport smtp = transport(config);

        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOf(MailUnavailableException.class)
                .hasMessageContaining("does not offer STARTTLS");
        assertThat(server.received).isEmpty();
    }

    @Test
    void sendsInPlaintextOnlyWithTheInsecureOptIn() {
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        Map<String, String> config = config(server);
        config.remove("mailpath.smtp.username");
        config.remove("mailpath.smtp.password");
        config.put("mailpath.smtp.insecure-plaintext", "true");

        transport(config).send(simple().text("x").build());

        assertThat(server.received).hasSize(1);
    }

    @Test
    void neverSendsCredentialsWithoutTls() {
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.insecure-plaintext", "true");

        assertThatThrownBy(() -> Transports.create("smtp", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.smtp.username")
                .hasMessageNotContaining(TestSmtpServer.PASSWORD);
        assertThat(server.connections).hasValue(0);
    }

    @Test
    void refusesAServerWhoseCertificateDoesNotNameIt() throws Exception {
        TestTls other = TestTls.create(dir, new GeneralName(GeneralName.dNSName, "mail.example.net"));
        TestSmtpServer server = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, other, true);
        open.add(server);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.trust-store", other.trustStore.toString());
        DirectTransport smtp = transport(config);

        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOf(MailUnavailableException.class)
                .hasMessageContaining("TLS");
        assertThat(server.received).isEmpty();
    }

    @Test
    void refusesAnUntrustedCertificate() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.remove("mailpath.smtp.trust-store");
        DirectTransport smtp = transport(config);

        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOf(MailUnavailableException.class)
                .hasMessageContaining("TLS");
        assertThat(server.received).isEmpty();
    }

    @Test
    void deliversOverImplicitTls() {
        TestSmtpServer server = server(TestSmtpServer.Tls.IMPLICIT, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.tls", "implicit");

        transport(config).send(simple().text("over smtps").build());

        assertThat(server.received).hasSize(1);
    }

    @Test
    void wrongPasswordIsAnAuthenticationErrorWithoutTheSecret() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.password", "wrong-secret-value");
        DirectTransport smtp = transport(config);

        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailAuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(535);
                    assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION);
                    assertThat(e.transport()).isEqualTo("smtp");
                })
                .hasMessageNotContaining("wrong-secret-value");
        assertThat(smtp.toString()).doesNotContain("wrong-secret-value");
        assertThat(server.received).isEmpty();
    }

    @Test
    void temporaryRepliesAreUnavailable() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        server.mailFromReply = 421;
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailUnavailableException.class, e -> assertThat(e.status())
                        .isEqualTo(421));

        server.mailFromReply = 0;
        server.dataReply = 451;
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailUnavailableException.class, e -> assertThat(e.status())
                        .isEqualTo(451));
        assertThat(server.received).isEmpty();
    }

    @Test
    void permanentRepliesAreRejected() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        server.dataReply = 550;
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(
                        MailRejectedException.class, e -> assertThat(e.status()).isEqualTo(550));

        server.dataReply = 0;
        server.rcptReplies.put("rcpt@example.org", 550);
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(550);
                    assertThat(e.getMessage()).contains("rcpt@example.org");
                    assertThat(e.refusedRecipients()).singleElement().satisfies(r -> assertThat(r.address())
                            .isEqualTo("rcpt@example.org"));
                });
        assertThat(server.received).isEmpty();
    }

    @Test
    void whenEveryPartFailsAFailureOfThePathWinsOverARecipientsRefusal() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        // Ann's part is refused at RCPT (greylisted); Bob's reaches DATA, which the server refuses for any message.
        server.rcptReplies.put("ann@example.org", 451);
        server.dataReply = 451;

        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.org", "bob@example.org")
                .subject("Hi {{name}}")
                .text("Dear {{name}}")
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("bob@example.org", Map.of("name", "Bob"))
                .build();

        // The caller, and readiness, learn that the path cannot take mail, not only that Ann was greylisted.
        assertThatThrownBy(() -> smtp.send(mail)).isInstanceOfSatisfying(MailUnavailableException.class, e -> {
            assertThat(e.status()).isEqualTo(451);
            assertThat(e.refusedRecipients()).isEmpty();
        });
        assertThat(server.received).isEmpty();
    }

    @Test
    void aRefusalOfEveryRecipientIsTheRecipientsFailureUnlessTheReplySpeaksForTheSession() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        // Greylisted: temporary, and the recipient's own.
        server.rcptReplies.put("rcpt@example.org", 451);
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailUnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(451);
                    assertThat(e.refusedRecipients()).singleElement().satisfies(r -> assertThat(r.status())
                            .isEqualTo(451));
                });

        // The server closes the session: no recipient's failure, the path's.
        server.rcptReplies.put("rcpt@example.org", 421);
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailUnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(421);
                    assertThat(e.refusedRecipients()).isEmpty();
                });

        // Authentication required: the session's too.
        server.rcptReplies.put("rcpt@example.org", 530);
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailAuthenticationException.class, e -> assertThat(e.refusedRecipients())
                        .isEmpty());
        assertThat(server.received).isEmpty();
    }

    @Test
    void oneBadRecipientOfThreeGivesAPartialReceipt() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        server.rcptReplies.put("bad@example.org", 550);

        SendReceipt receipt = smtp.send(Mail.builder()
                .from("sender@example.com")
                .to("a@example.org", "bad@example.org", "c@example.org")
                .subject("Partial")
                .text("x")
                .build());

        assertThat(server.received).singleElement().satisfies(r -> assertThat(r.recipients())
                .containsExactlyInAnyOrder("a@example.org", "c@example.org"));
        assertThat(receipt.accepted()).containsExactlyInAnyOrder("a@example.org", "c@example.org");
        assertThat(receipt.isPartial()).isTrue();
        assertThat(receipt.rejected()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("bad@example.org");
            assertThat(r.status()).isEqualTo(550);
        });
    }

    @Test
    void reusesConnectionsUpToTheConfiguredCap() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.pool.max-messages-per-connection", "4");
        DirectTransport smtp = transport(config);

        for (int i = 0; i < 10; i++) {
            smtp.send(simple().text("message " + i).build());
        }

        assertThat(server.received).hasSize(10);
        // 10 messages at 4 per connection: 3 connections.
        assertThat(server.connections).hasValue(3);
    }

    @Test
    void thePoolStateCountsIdleAndLentConnections() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.pool.max-connections", "3");
        DirectTransport smtp = transport(config);
        assertThat(smtp.connectionPool()).contains(new ConnectionPoolState(3, 0, 0, 0));

        smtp.send(simple().text("first").build());

        ConnectionPoolState after = smtp.connectionPool().orElseThrow();
        assertThat(after).isEqualTo(new ConnectionPoolState(3, 0, 1, 0));
        assertThat(after.open()).isEqualTo(1);
    }

    @Test
    void replacesAConnectionThatWasIdleTooLong() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.pool.max-idle-ms", "200");
        DirectTransport smtp = transport(config);

        smtp.send(simple().text("first").build());
        Thread.sleep(400);
        smtp.send(simple().text("second").build());

        assertThat(server.received).hasSize(2);
        assertThat(server.connections).hasValue(2);
    }

    /** A plaintext server behind a proxy, so that the commands the client sends can be watched. */
    private Map<String, String> plaintextThrough(FaultyProxy proxy) {
        Map<String, String> config = new HashMap<>();
        config.put("mailpath.smtp.host", "127.0.0.1");
        config.put("mailpath.smtp.port", String.valueOf(proxy.port()));
        config.put("mailpath.smtp.insecure-plaintext", "true");
        config.put("mailpath.smtp.read-timeout-ms", "5000");
        return config;
    }

    @Test
    void aPooledConnectionIsCheckedBeforeReuseOnlyOnceIdleLongerThanTheThreshold() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        FaultyProxy proxy = FaultyProxy.to(server.port());
        open.add(proxy);
        proxy.at(FaultyProxy.Direction.CLIENT_TO_SERVER, "RSET", FaultyProxy.Action.CLOSE);

        // Reused well within the threshold: no round trip before the second message.
        Map<String, String> config = plaintextThrough(proxy);
        config.put("mailpath.smtp.pool.validate-after-idle-ms", "600000");
        DirectTransport unchecked = transport(config);
        unchecked.send(simple().text("first").build());
        unchecked.send(simple().text("second").build());
        assertThat(proxy.fired()).isFalse();
        assertThat(server.connections).hasValue(1);

        // Threshold 0: every reuse is checked with RSET; the proxy ends the connection there, so the check fails and
        // the message goes over a new connection.
        config.put("mailpath.smtp.pool.validate-after-idle-ms", "0");
        DirectTransport checked = transport(config);
        checked.send(simple().text("third").build());
        checked.send(simple().text("fourth").build());
        assertThat(proxy.fired()).isTrue();
        assertThat(server.connections).hasValue(3);
        assertThat(server.received).hasSize(4);
    }

    @Test
    void aServerClosingWith421IsNotReusedAndAReusedConnectionsClosingReplyIsTriedOnceOnANewOne() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        smtp.send(simple().text("warm-up").build());

        server.mailFromReply = 421;
        // The pooled connection answers 421 at MAIL FROM; so does the new one it is tried on: unavailable, once.
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailUnavailableException.class, e -> assertThat(e.status())
                        .isEqualTo(421));
        assertThat(server.connections).hasValue(2);

        server.mailFromReply = 0;
        smtp.send(simple().text("after").build());
        // The connection that answered 421 was closed, not pooled.
        assertThat(server.connections).hasValue(3);
        assertThat(server.received).hasSize(2);
    }

    @Test
    void eightConcurrentSendersLoseAndDuplicateNothing() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.pool.max-connections", "3");
        DirectTransport smtp = transport(config);
        int senders = 8;
        int perSender = 25;
        Set<String> sentIds = ConcurrentHashMap.newKeySet();

        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        Mail mail = simple().text("sender " + sender + " message " + i)
                                .build();
                        smtp.send(mail);
                        sentIds.add(mail.id());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> receivedIds = new ArrayList<>();
        for (TestSmtpServer.Received r : server.received) {
            receivedIds.add(r.message().getHeader("X-Mailpath-Id", null));
        }
        assertThat(receivedIds).hasSize(senders * perSender).doesNotHaveDuplicates();
        assertThat(Set.copyOf(receivedIds)).isEqualTo(sentIds);
        // Three connections at most at a time, each replaced after 100 messages: at most 3 + 200 / 100.
        assertThat(server.connections.get()).isBetween(1, 5);
    }

    @Test
    void closedPortIsUnavailableWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> config = new HashMap<>();
        config.put("mailpath.smtp.host", "127.0.0.1");
        config.put("mailpath.smtp.port", String.valueOf(port));
        config.put("mailpath.smtp.connect-timeout-ms", "1000");
        DirectTransport smtp = transport(config);

        long start = System.nanoTime();
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOfSatisfying(MailUnavailableException.class, e -> assertThat(e.kind())
                        .isEqualTo(FailureKind.UNAVAILABLE))
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void aTimeoutWhileSendingIsUncertain() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.read-timeout-ms", "500");
        DirectTransport smtp = transport(config);
        server.dataDelayMs = 3_000;

        // The server got the whole message and may accept it after the client gave up waiting for its reply.
        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOf(io.mailpath.MailUncertainException.class)
                .hasMessageContaining("may have been accepted");
    }

    @Test
    void aRetiredConnectionClosesWithoutBlockingTheSenderWhenTheServerStallsOnQuit() throws Exception {
        // QUIT is only visible in plaintext; the connection is retired after each message, on the sender's thread.
        TestSmtpServer server = server(TestSmtpServer.Tls.NONE, false);
        FaultyProxy proxy = FaultyProxy.to(server.port());
        open.add(proxy);
        Map<String, String> config = new HashMap<>();
        config.put("mailpath.smtp.host", "127.0.0.1");
        config.put("mailpath.smtp.port", String.valueOf(proxy.port()));
        config.put("mailpath.smtp.insecure-plaintext", "true");
        config.put("mailpath.smtp.read-timeout-ms", "20000");
        config.put("mailpath.smtp.pool.max-messages-per-connection", "1");
        DirectTransport smtp = transport(config);
        proxy.at(FaultyProxy.Direction.CLIENT_TO_SERVER, "QUIT", FaultyProxy.Action.STALL);

        long start = System.nanoTime();
        SendReceipt receipt = smtp.send(simple().text("x").build());
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(receipt.accepted()).containsExactly("rcpt@example.org");
        assertThat(server.received).hasSize(1);
        // The server would hold QUIT's reply for the whole 20 s read timeout; the sender does not wait for it.
        assertThat(ms).isLessThan(10_000);
        smtp.close();
        // The connection was closed in the background: QUIT went out, and nothing is left open.
        assertThat(proxy.awaitClosed(Duration.ofSeconds(30))).isTrue();
        assertThat(proxy.fired()).isTrue();
    }

    @Test
    void quitWaitIsMailpathsNotAPassThroughSetting() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.mail.smtp.quitwait", "true");
        assertThatThrownBy(() -> transport(config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("quitwait");
    }

    @Test
    void headerInjectionIsRejectedBeforeAnyConnection() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        transport(config(server));

        assertThatThrownBy(() -> simple().subject("Hi\r\nBcc: victim@example.org")
                        .text("x")
                        .build())
                .isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> simple().text("x")
                        .header("X-Tag", "a\nBcc: victim@example.org")
                        .build())
                .isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> Mail.builder().from("a@example.com").to("b@example.org\r\nRCPT TO:<c@example.org>"))
                .isInstanceOf(InvalidMailException.class);
        assertThat(server.connections).hasValue(0);
    }

    @Test
    void aTemplateWithoutFallbackBodyIsRejectedBeforeAnyConnection() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        assertThatThrownBy(() -> smtp.send(
                        simple().template("welcome").substitution("name", "Ann").build()))
                .isInstanceOf(MailRejectedException.class)
                .hasMessageContaining("welcome")
                .hasMessageContaining("fallback");
        assertThat(server.connections).hasValue(0);
    }

    @Test
    void aTemplateWithFallbackBodySendsTheFallback() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        smtp.send(simple().template("welcome")
                .substitution("name", "Ann")
                .text("Welcome, {{name}}!")
                .build());

        assertThat(server.received.get(0).message().getContent().toString().stripTrailing())
                .isEqualTo("Welcome, Ann!");
    }

    @Test
    void aRotatedPasswordAppliesToNewConnections() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.password", "old-key");
        LiveConfigSource live = new LiveConfigSource(config);
        DirectTransport smtp = new SmtpTransportProvider()
                .create(io.mailpath.spi.TransportConfig.of(
                        "smtp",
                        new io.smallrye.config.SmallRyeConfigBuilder()
                                .withSources(live)
                                .build()));
        open.add(smtp);

        assertThatThrownBy(() -> smtp.send(simple().text("x").build())).isInstanceOf(MailAuthenticationException.class);
        live.put("mailpath.smtp.password", TestSmtpServer.PASSWORD);
        smtp.send(simple().text("x").build());

        assertThat(server.received).hasSize(1);
    }

    @Test
    void aContainerSessionMustHaveTimeoutsAndPartialDelivery() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        server.rcptReplies.put("bad@example.org", 550);
        java.util.Properties props = new java.util.Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(server.port()));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "127.0.0.1");
        props.put("mail.smtp.connectiontimeout", "2000");
        props.put("mail.smtp.timeout", "2000");
        io.mailpath.spi.TransportConfig config = io.mailpath.spi.TransportConfig.of(
                "smtp", io.mailpath.spi.TransportConfig.configOf(Map.of("mailpath.smtp.session-jndi", "mail/test")));
        jakarta.mail.Authenticator login = new jakarta.mail.Authenticator() {
            @Override
            protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                return new jakarta.mail.PasswordAuthentication(TestSmtpServer.USER, TestSmtpServer.PASSWORD);
            }
        };

        // Jakarta Mail's default is to wait forever: such a session is refused, naming the missing key.
        assertThatThrownBy(() -> new SmtpTransport(
                        new SmtpTransportProvider(), config, jakarta.mail.Session.getInstance(props, login)))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mail.smtp.writetimeout");

        props.put("mail.smtp.writetimeout", "2000");
        assertThatThrownBy(() -> new SmtpTransport(
                        new SmtpTransportProvider(), config, jakarta.mail.Session.getInstance(props, login)))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mail.smtp.sendpartial=true");

        props.put("mail.smtp.sendpartial", "true");
        SmtpTransport smtp =
                new SmtpTransport(new SmtpTransportProvider(), config, jakarta.mail.Session.getInstance(props, login));
        open.add(smtp);
        SendReceipt receipt = smtp.send(Mail.builder()
                .from("sender@example.com")
                .to("good@example.org", "bad@example.org")
                .subject("Through the container's session")
                .text("x")
                .build());

        assertThat(receipt.accepted()).containsExactly("good@example.org");
        assertThat(receipt.rejected()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("bad@example.org");
            assertThat(r.kind()).isEqualTo(FailureKind.REJECTED);
        });
        assertThat(server.received).hasSize(1);
    }

    @Test
    void aClosedTransportSendsNoMore() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        smtp.send(simple().text("x").build());
        smtp.close();

        assertThatThrownBy(() -> smtp.send(simple().text("x").build()))
                .isInstanceOf(MailException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void oneRecipientsMessageThatCannotBeComposedFailsOnlyThatRecipient() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        SendReceipt receipt = smtp.send(Mail.builder()
                .from("shop@example.com")
                .to("ann@example.org", "eve@example.org", "bob@example.org")
                .subject("Hi {{name}}")
                .text("Dear {{name}}")
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("eve@example.org", Map.of("name", "Eve\r\nBcc: victim@example.org"))
                .recipientData("bob@example.org", Map.of("name", "Bob"))
                .build());

        assertThat(server.received)
                .extracting(r -> r.recipients().get(0))
                .containsExactly("ann@example.org", "bob@example.org");
        assertThat(receipt.isPartial()).isTrue();
        assertThat(receipt.accepted()).containsExactly("ann@example.org", "bob@example.org");
        assertThat(receipt.rejected()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("eve@example.org");
            assertThat(r.kind()).isEqualTo(FailureKind.REJECTED);
            assertThat(r.reason()).contains("line break");
        });
    }

    @Test
    void metadataIsNotWrittenToTheMessageByDefault() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));

        Mail mail = simple().text("x")
                .metadata("orderId", "1234")
                .metadata("userId", "u-77")
                .build();
        smtp.send(mail);

        MimeMessage got = server.received.get(0).message();
        assertThat(got.getHeader(Mail.METADATA_HEADER)).isNull();
        assertThat(new String(server.received.get(0).raw(), StandardCharsets.US_ASCII))
                .doesNotContain("1234")
                .doesNotContain("u-77");
        // The correlation id is not user data: it stays.
        assertThat(got.getHeader(Mail.ID_HEADER, null)).isEqualTo(mail.id());
    }

    @Test
    void metadataHeadersWithTheOptInStayWithinLineLimitsAndDecodeToTheSameMap() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.metadata-header", "true");
        DirectTransport smtp = transport(config);
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put("orderId", "1234");
        metadata.put("note", "a b&c=d%e+f ü");
        metadata.put("名前", "注文".repeat(250));
        metadata.put("k".repeat(Mail.MAX_METADATA_KEY), "x".repeat(Mail.MAX_METADATA_VALUE));
        Mail.Builder b = simple().text("x");
        metadata.forEach(b::metadata);

        smtp.send(b.build());

        byte[] raw = server.received.get(0).raw();
        String text = new String(raw, StandardCharsets.US_ASCII);
        String headerSection = text.substring(0, text.indexOf("\r\n\r\n"));
        for (String line : headerSection.split("\r\n")) {
            assertThat(line.length()).as("header line %s", line).isLessThanOrEqualTo(78);
        }
        String[] values = server.received.get(0).message().getHeader(Mail.METADATA_HEADER);
        assertThat(values).hasSize(metadata.size());
        assertThat(decodeMetadata(values)).containsExactlyEntriesOf(metadata);
    }

    @Test
    void aNamedStreamTravelsInTheMetadataHeadersOnlyWithTheOptIn() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        Map<String, String> config = config(server);
        config.put("mailpath.smtp.metadata-header", "true");
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put("orderId", "1234");
        metadata.put("k".repeat(Mail.MAX_METADATA_KEY), "x".repeat(Mail.MAX_METADATA_VALUE));
        Mail.Builder b = simple().text("x");
        metadata.forEach(b::metadata);
        Mail mail = b.build().inStream("s".repeat(32));

        transport(config).send(mail);
        transport(config(server)).send(mail);

        String[] values = server.received.get(0).message().getHeader(Mail.METADATA_HEADER);
        Map<String, String> expected = new java.util.LinkedHashMap<>(metadata);
        expected.put(Mail.STREAM_METADATA_KEY, mail.stream());
        assertThat(decodeMetadata(values)).containsExactlyEntriesOf(expected);
        String withoutOptIn = new String(server.received.get(1).raw(), StandardCharsets.US_ASCII);
        assertThat(withoutOptIn).doesNotContain(Mail.STREAM_METADATA_KEY).doesNotContain(mail.stream());
    }

    /** The documented decoding of {@value Mail#METADATA_HEADER}: drop whitespace, split at '=', form-decode. */
    private static Map<String, String> decodeMetadata(String[] values) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (String v : values) {
            String compact = v.replaceAll("\\s+", "");
            int eq = compact.indexOf('=');
            result.put(
                    java.net.URLDecoder.decode(compact.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(compact.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }

    @Test
    void anUnreadableAttachmentFileIsRejectedBeforeAnyConnectionWithoutItsPath() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        DirectTransport smtp = transport(config(server));
        Path file = java.nio.file.Files.write(dir.resolve("salaries-2026.csv"), new byte[] {1, 2, 3});
        Mail mail = simple().text("see file")
                .attach(Attachment.named("salaries-2026.csv").type("text/csv").file(file))
                .build();
        java.nio.file.Files.delete(file);

        assertThatThrownBy(() -> smtp.send(mail))
                .isInstanceOfSatisfying(MailRejectedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.REJECTED);
                    assertThat(e.transport()).isEqualTo("smtp");
                })
                .hasMessageContaining("'salaries-2026.csv'")
                .hasMessageNotContaining(dir.toString());
        assertThat(server.connections).hasValue(0);
    }

    @Test
    void anAttachmentThatBecomesUnreadableWhileSendingIsRejectedAndNothingIsAccepted() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        SmtpTransport smtp = new SmtpTransport(
                new SmtpTransportProvider(),
                io.mailpath.spi.TransportConfig.of("smtp", io.mailpath.spi.TransportConfig.configOf(config(server))),
                null);
        open.add(smtp);
        Path file = java.nio.file.Files.write(dir.resolve("gone.csv"), new byte[] {1, 2, 3});
        List<SmtpComposer.Outgoing> parts = smtp.compose(simple().text("see file")
                .attach(Attachment.named("gone.csv").type("text/csv").file(file))
                .build());
        // Checked when composed; gone by the time it is written out, after MAIL, RCPT and DATA.
        java.nio.file.Files.delete(file);

        assertThatThrownBy(() -> smtp.deliver(parts.get(0)))
                .isInstanceOf(MailRejectedException.class)
                .hasMessageContaining("'gone.csv'")
                .hasMessageNotContaining(dir.toString());
        assertThat(server.received).isEmpty();
        // The connection was not reused in a half-written state: the next message goes out.
        smtp.send(simple().text("next").build());
        assertThat(server.received).hasSize(1);
    }

    @Test
    void authenticationDebuggingIsNotAPassThroughSetting() {
        TestSmtpServer server = server(TestSmtpServer.Tls.STARTTLS_REQUIRED, true);
        for (String key : List.of(
                "mailpath.smtp.mail.smtp.debug.auth",
                "mailpath.smtp.mail.smtps.debug.auth",
                "mailpath.smtp.mail.debug.auth",
                "mailpath.smtp.mail.debug.auth.password")) {
            Map<String, String> config = config(server);
            config.put("mailpath.smtp.mail.debug", "true");
            config.put(key, "true");
            assertThatThrownBy(() -> transport(config))
                    .as(key)
                    .isInstanceOf(MailConfigurationException.class)
                    .hasMessageContaining(key);
        }
    }
}
