package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailAuthenticationException;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.peers.TestSmtpServer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The only path refuses the credentials: no path can send, so readiness is DOWN, and the data says why without the
 * password that was refused.
 */
@MailpathTest(
        config = {
            "mailpath.transports=smtp",
            "mailpath.smtp.host=127.0.0.1",
            "mailpath.smtp.username=" + TestSmtpServer.USER,
            "mailpath.smtp.password=" + SmtpAuthenticationReadinessTest.WRONG_PASSWORD
        })
class SmtpAuthenticationReadinessTest extends SmtpScenario {
    static final String WRONG_PASSWORD = "wrong-secret-5f2a9c41";

    @Test
    void downWithTheKindOfFailureAndNoSecretInTheData() {
        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailAuthenticationException.class);

        HealthCheckResponse response = check.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(response))
                .containsEntry("smtp.state", "DOWN")
                .containsEntry("smtp.last-failure.kind", "AUTHENTICATION")
                .containsEntry("smtp.last-failure.reason", "the server refused the credentials");
        assertThat(data(response).values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContain(WRONG_PASSWORD)
                .doesNotContain(TestSmtpServer.PASSWORD));
    }
}
