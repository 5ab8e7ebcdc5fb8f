package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailException;
import io.mailpath.health.details.ThrowingDetails;
import io.mailpath.health.details.TicketDetails;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows what the routed sends show: UP until no path can send, DOWN while none can, UP again after a
 * success or once the failures are older than the window. Retry delays are short (they change no count).
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "io.mailpath.routing.PrimaryPath/send/Retry/delay=1",
            "io.mailpath.routing.PrimaryPath/send/Retry/jitter=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/delay=1",
            "io.mailpath.routing.SecondaryPath/send/Retry/jitter=0"
        })
@AddBeanClasses({TicketDetails.class, ThrowingDetails.class})
class ReadinessTest extends ReadinessScenario {
    private final Mailbox primary = Mailbox.of("memory");

    private final Mailbox backup = Mailbox.of("memory-backup");

    private void bothPathsFail() {
        primary.failNext(3, SimulatedFailure.unavailable()); // one try, two retries
        backup.failNext(2, SimulatedFailure.unavailable()); // one try, one retry
        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailException.class);
    }

    @Test
    void isAReadinessCheckAndNeverALivenessCheck() {
        assertThat(MailpathReadinessCheck.class.isAnnotationPresent(Readiness.class))
                .isTrue();
        assertThat(MailpathReadinessCheck.class.isAnnotationPresent(Liveness.class))
                .isFalse();
    }

    @Test
    void upBeforeAnySendWithEveryConfiguredTransportInTheData() {
        HealthCheckResponse response = check.call();

        assertThat(response.getName()).isEqualTo("mailpath");
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("transports", "memory,memory-backup")
                // The primary's circuit breaker delay, as annotated
                .containsEntry("failure-window-ms", 30_000L)
                .containsEntry("memory.state", "UP")
                .containsEntry("memory.attempts", 0L)
                .containsEntry("memory.circuit", "closed")
                .containsEntry("memory-backup.state", "UP")
                .doesNotContainKeys("memory.last-success", "memory.last-failure", "memory.pool.open");
    }

    @Test
    void staysUpWhenThePrimaryFailsOverAndSaysWhy() {
        primary.failNext(3, SimulatedFailure.unavailable());

        assertThat(mail.send(Messages.simple()).failedOver()).isTrue();

        HealthCheckResponse response = check.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("memory.state", "DOWN")
                .containsEntry("memory.attempts", 3L)
                .containsEntry("memory.failures", 3L)
                .containsEntry("memory.last-failure", "2026-11-22T12:00:00Z")
                .containsEntry("memory.last-failure.kind", "UNAVAILABLE")
                .containsEntry("memory.last-failure.status", 503L)
                .containsEntry("memory-backup.state", "UP")
                .containsEntry("memory-backup.attempts", 1L)
                .containsEntry("memory-backup.failures", 0L)
                .containsEntry("memory-backup.last-success", "2026-11-22T12:00:00Z")
                .doesNotContainKeys("memory.last-success", "memory-backup.last-failure");
        // A status came with the failure: the reason is a phrase for its kind, never the server's words.
        assertThat(data(response))
                .containsEntry("memory.state.cause", "last-failure")
                .containsEntry("memory.last-failure.reason", "the server cannot take mail now")
                .containsEntry("memory.last-failure.recipients-refused", false)
                .doesNotContainKeys("memory.last-failure.detail", "memory-backup.state.cause");
    }

    @Test
    void downWhenEveryPathFailsThenUpAgainAfterASuccess() {
        bothPathsFail();

        HealthCheckResponse down = check.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(down)).containsEntry("memory.state", "DOWN").containsEntry("memory-backup.state", "DOWN");

        clock.advance(Duration.ofSeconds(1));
        mail.send(Messages.simple());

        HealthCheckResponse up = check.call();
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(up))
                .containsEntry("memory.state", "UP")
                .containsEntry("memory.last-success", "2026-11-22T12:00:01Z")
                // The failure stays in the report; the success after it is what counts.
                .containsEntry("memory.last-failure", "2026-11-22T12:00:00Z")
                .containsEntry("memory-backup.state", "DOWN");
    }

    @Test
    void downWhenEveryPathFailsThenUpAgainOnceTheFailuresAreOlderThanTheWindow() {
        bothPathsFail();

        clock.advance(Duration.ofMillis(29_999));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        clock.advance(Duration.ofMillis(1));
        HealthCheckResponse response = check.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("memory.state", "UP")
                .containsEntry("memory.last-failure.kind", "UNAVAILABLE");
    }

    @Test
    void failuresOfATransportThatAnswersNeverCountAgainstReadiness() {
        // Rate limited without Retry-After on the primary, then on the backup: the caller gets an error, but both
        // paths answered.
        primary.failNext(1, SimulatedFailure.rateLimited(null));
        backup.failNext(1, SimulatedFailure.rateLimited(null));
        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailException.class);
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        // The answer lost after the whole message went out: it may have been accepted.
        primary.failNext(1, SimulatedFailure.uncertainAfterAccept());
        backup.failNext(1, SimulatedFailure.uncertainAfterAccept());
        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailException.class);
        HealthCheckResponse response = check.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("memory.last-failure.kind", "UNCERTAIN")
                .containsEntry("memory.state", "UP")
                .containsEntry("memory-backup.state", "UP");
    }

    @Test
    void aRejectedMessageAfterAnOutageShowsThePathAnswersAgain() {
        bothPathsFail();
        primary.failNext(1, SimulatedFailure.rejected(400));

        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailException.class);

        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void otherBeansAddToEachTransportsDataAndOneThatFailsChangesNothing() {
        HealthCheckResponse response = check.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("memory.ticket", "memory-ok")
                .containsEntry("memory-backup.ticket", "memory-backup-ok")
                .containsEntry("memory-backup.state", "UP");
    }

    @Test
    void anApplicationWithoutStreamsHasNoStreamData() {
        bothPathsFail();

        assertThat(data(check.call()).keySet()).doesNotContain("streams").noneMatch(key -> key.startsWith("stream."));
    }

    @Test
    void aReasonInTheTransportsOwnWordsIsOneShortLine() {
        String reason = FailureReason.scrub("first\r\nsecond\tthird " + "x".repeat(500), Messages.simple());

        assertThat(reason).startsWith("first second third x").hasSize(FailureReason.MAX_LENGTH);
        assertThat(reason).doesNotContain("\r", "\n", "\t").endsWith("...");
    }
}
