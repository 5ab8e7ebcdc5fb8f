package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.peers.TestSmtpServer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The real SMTP transport's pool figures in the data, read from memory: the probe opens no connection. */
@MailpathTest(
        config = {
            "mailpath.transports=smtp,memory-backup",
            "mailpath.smtp.host=127.0.0.1",
            "mailpath.smtp.username=" + TestSmtpServer.USER,
            "mailpath.smtp.password=" + TestSmtpServer.PASSWORD,
            "mailpath.smtp.pool.max-connections=3"
        })
class SmtpReadinessTest extends SmtpScenario {
    @Test
    void thePoolsFiguresAreInTheDataAndAProbeOpensNoConnection() {
        HealthCheckResponse before = check.call();
        assertThat(data(before))
                .containsEntry("smtp.pool.open", 0L)
                .containsEntry("smtp.pool.max", 3L)
                .doesNotContainKey("memory-backup.pool.open");
        assertThat(smtp.connections.get()).isZero();

        assertThat(mail.send(Messages.simple()).transport()).isEqualTo("smtp");

        HealthCheckResponse after = check.call();
        assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(after))
                .containsEntry("smtp.state", "UP")
                .containsEntry("smtp.attempts", 1L)
                .containsKey("smtp.last-success")
                .containsEntry("smtp.pool.open", 1L)
                .containsEntry("smtp.pool.idle", 1L)
                .containsEntry("smtp.pool.in-use", 0L)
                .containsEntry("smtp.pool.waiting", 0L);
        check.call();
        assertThat(smtp.connections.get()).isEqualTo(1);
    }
}
