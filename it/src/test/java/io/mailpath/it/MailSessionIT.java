package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's own mail session, looked up through JNDI, replaces the session Mailpath would build. Each server
 * defines it in its own configuration (see docs/guides/servers.md); its JNDI name comes from
 * {@code it.mail.session.jndi}.
 */
@ExtendWith(ArquillianExtension.class)
class MailSessionIT {
    static final TestSmtpServer RELAY = relay();

    @ArquillianResource
    URL base;

    private static TestSmtpServer relay() {
        try {
            TestTls tls = TestTls.create(Files.createDirectories(Path.of("target", "it-tls")));
            int port = Integer.parseInt(System.getProperty("it.smtp.port"));
            return new TestSmtpServer(port, TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(
                "session",
                Map.of(
                        "mailpath.transports",
                        "smtp",
                        "mailpath.smtp.session-jndi",
                        System.getProperty("it.mail.session.jndi")));
    }

    @AfterAll
    static void stopRelay() {
        RELAY.close();
    }

    @Test
    void sendsThroughTheContainersMailSession() throws Exception {
        MailApp.Answer answer = new MailApp(base).send(MailApp.message("session@example.org"));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("smtp");
        assertThat(RELAY.received).singleElement().satisfies(r -> {
            assertThat(r.recipients()).containsExactly("session@example.org");
            assertThat(r.message().getMessageID()).isEqualTo(answer.json().getString("messageId"));
        });
    }
}
