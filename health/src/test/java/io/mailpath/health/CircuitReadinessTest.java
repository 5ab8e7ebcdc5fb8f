package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailException;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The primary's open circuit shows in the data and counts as a path that cannot send, until the breaker's delay
 * has passed; the failure window follows that delay when it is not set. The breaker opens after four failures.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "io.mailpath.routing.PrimaryPath/send/Retry/maxRetries=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/maxRetries=0",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/requestVolumeThreshold=4",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/failureRatio=1.0",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay=60",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delayUnit=SECONDS"
        })
class CircuitReadinessTest extends ReadinessScenario {
    @Test
    void anOpenCircuitIsReportedAndCountsUntilItsDelayHasPassed() {
        Mailbox.of("memory").failRandomly(1.0, SimulatedFailure.unavailable(), 1);
        for (int i = 0; i < 4; i++) {
            mail.send(Messages.simple());
        }
        assertThat(data(check.call())).containsEntry("memory.circuit", "closed");

        clock.advance(Duration.ofSeconds(1));
        mail.send(Messages.simple()); // refused by the open circuit, delivered by the backup

        HealthCheckResponse open = check.call();
        assertThat(open.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(open))
                .containsEntry("failure-window-ms", 60_000L)
                .containsEntry("memory.circuit", "open")
                .containsEntry("memory.circuit.open-since", "2026-11-22T12:00:01Z")
                .containsEntry("memory.state", "DOWN")
                .containsEntry("memory.attempts", 5L);

        Mailbox.of("memory-backup").failNext(1, SimulatedFailure.unavailable());
        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailException.class);
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        // The breaker lets a trial call through once its delay has passed; the failures are as old.
        clock.advance(Duration.ofSeconds(60));
        HealthCheckResponse later = check.call();
        assertThat(later.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(later))
                .containsEntry("memory.circuit", "half-open")
                .doesNotContainKey("memory.circuit.open-since");
    }
}
