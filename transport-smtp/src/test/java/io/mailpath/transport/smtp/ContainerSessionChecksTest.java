package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import jakarta.mail.Session;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A container-managed session that asks for TLS but would accept any server, or send credentials in clear, is refused
 * when the transport is built (at deployment), naming the property. No connection is made: the checks read the
 * session's properties.
 */
class ContainerSessionChecksTest {
    /** A session Mailpath accepts: STARTTLS required, timeouts, partial delivery. */
    static Properties acceptable() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", "2525");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.connectiontimeout", "2000");
        p.put("mail.smtp.timeout", "2000");
        p.put("mail.smtp.writetimeout", "2000");
        p.put("mail.smtp.sendpartial", "true");
        return p;
    }

    private static SmtpTransport build(Properties session, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.put("mailpath.smtp.session-jndi", "mail/test");
        TransportConfig config = TransportConfig.of("smtp", TransportConfig.configOf(all));
        return new SmtpTransport(new SmtpTransportProvider(), config, Session.getInstance(session));
    }

    private static void refused(Properties session, Map<String, String> keys, String naming) {
        assertThatThrownBy(() -> build(session, keys))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining(naming);
    }

    @Test
    void anAcceptableSessionBuildsAndAHostListInSslTrustIsAllowed() {
        Properties p = acceptable();
        p.put("mail.smtp.ssl.trust", "127.0.0.1 localhost");
        try (SmtpTransport t = build(p, Map.of())) {
            assertThat(t.requestTimeout()).isPresent();
        }
    }

    @Test
    void trustingEveryCertificateIsRefused() {
        Properties p = acceptable();
        p.put("mail.smtp.ssl.trust", "*");
        refused(p, Map.of(), "mail.smtp.ssl.trust=*");
    }

    @Test
    void switchingOffTheServerIdentityCheckIsRefused() {
        Properties p = acceptable();
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        refused(p, Map.of(), "mail.smtp.ssl.checkserveridentity=false");
    }

    @Test
    void aCustomSocketFactoryIsRefused() {
        for (String key : new String[] {"mail.smtp.ssl.socketFactory.class", "mail.smtp.socketFactory.class"}) {
            Properties p = acceptable();
            p.put(key, "com.example.TrustAllFactory");
            refused(p, Map.of(), key);
        }
        Properties p = acceptable();
        p.put("mail.smtp.ssl.socketFactory", javax.net.ssl.SSLSocketFactory.getDefault());
        refused(p, Map.of(), "mail.smtp.ssl.socketFactory");
    }

    @Test
    void credentialsWithoutTlsAreRefusedEvenWithThePlaintextOptIn() {
        Properties p = acceptable();
        p.remove("mail.smtp.starttls.required");
        p.remove("mail.smtp.starttls.enable");
        refused(p, Map.of("mailpath.smtp.insecure-plaintext", "true"), "mail.smtp.auth=true");
        p.put("mail.smtp.auth", "false");
        try (SmtpTransport t = build(p, Map.of("mailpath.smtp.insecure-plaintext", "true"))) {
            assertThat(t.name()).isEqualTo("smtp");
        }
    }
}
