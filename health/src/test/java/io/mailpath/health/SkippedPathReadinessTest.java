package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * A path passed over because it cannot carry a message (SMTP for a template without fallback body) was not tried: it
 * counts neither as an attempt nor as a failure of that path.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-plain",
            "io.mailpath.routing.PrimaryPath/send/Retry/delay=1",
            "io.mailpath.routing.PrimaryPath/send/Retry/jitter=0"
        })
class SkippedPathReadinessTest extends ReadinessScenario {
    private final Mailbox primary = Mailbox.of("memory");

    @Test
    void aPathPassedOverIsNeitherTriedNorDown() {
        primary.failNext(3, SimulatedFailure.unavailable());
        Mail template = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.org")
                .subject("Welcome")
                .template("welcome")
                .build();

        assertThatThrownBy(() -> mail.send(template))
                .isInstanceOfSatisfying(
                        MailException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE));

        HealthCheckResponse response = check.call();
        assertThat(data(response))
                .containsEntry("memory.state", "DOWN")
                .containsEntry("memory-plain.state", "UP")
                .containsEntry("memory-plain.attempts", 0L)
                .doesNotContainKeys("memory-plain.last-failure");
    }
}
