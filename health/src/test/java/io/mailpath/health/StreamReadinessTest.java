package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * Two named streams beside the unnamed one, each sending through its own instance of the same transport: each
 * stream's paths are judged by its own sends only, reported under {@code stream.<name>.}, and readiness is DOWN only
 * when no stream can send. The in-memory transport's mailbox is shared by name, so a failure told to it goes to
 * whichever stream sends next.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory",
            "mailpath.stream.marketing.transports=memory",
            "mailpath.stream.marketing.health.failure-window-ms=5000",
            "io.mailpath.routing.PrimaryPath/send/Retry/maxRetries=0",
            "io.mailpath.routing.PrimaryPath/sendInStream/Retry/maxRetries=0"
        })
class StreamReadinessTest extends ReadinessScenario {
    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    private final Mailbox memory = Mailbox.of("memory");

    private void fails(MailTransport stream) {
        memory.failNext(1, SimulatedFailure.unavailable());
        assertThatThrownBy(() -> stream.send(Messages.simple())).isInstanceOf(MailException.class);
    }

    @Test
    void eachNamedStreamsPathsAreReportedUnderItsOwnPrefixBesideTheUnnamedStreamsKeys() {
        HealthCheckResponse response = check.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                // The unnamed stream's keys, as an application without streams has them
                .containsEntry("transports", "memory")
                .containsEntry("failure-window-ms", 30_000L)
                .containsEntry("memory.state", "UP")
                .containsEntry("streams", "transactional,marketing")
                .containsEntry("stream.transactional.state", "UP")
                .containsEntry("stream.transactional.required", false)
                .containsEntry("stream.transactional.transports", "memory")
                .containsEntry("stream.transactional.failure-window-ms", 30_000L)
                .containsEntry("stream.transactional.memory.state", "UP")
                .containsEntry("stream.transactional.memory.attempts", 0L)
                .containsEntry("stream.transactional.memory.circuit", "closed")
                // Its own window, through the stream's overlay
                .containsEntry("stream.marketing.failure-window-ms", 5_000L)
                .containsEntry("stream.marketing.memory.state", "UP")
                .doesNotContainKeys("stream.default.state", "stream.marketing.error", "error");
    }

    @Test
    void marketingsFailuresLeaveTransactionalsStatusOfTheSameTransportUp() {
        fails(marketing);

        HealthCheckResponse response = check.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("stream.marketing.state", "DOWN")
                .containsEntry("stream.marketing.memory.state", "DOWN")
                .containsEntry("stream.marketing.memory.state.cause", "last-failure")
                .containsEntry("stream.marketing.memory.attempts", 1L)
                .containsEntry("stream.marketing.memory.failures", 1L)
                .containsEntry("stream.marketing.memory.last-failure.kind", "UNAVAILABLE")
                .containsEntry("stream.transactional.state", "UP")
                .containsEntry("stream.transactional.memory.state", "UP")
                .containsEntry("stream.transactional.memory.attempts", 0L)
                .containsEntry("memory.state", "UP")
                .containsEntry("memory.attempts", 0L)
                .doesNotContainKeys("stream.transactional.memory.last-failure", "memory.last-failure");

        transactional.send(Messages.simple());
        assertThat(data(check.call()))
                .containsEntry("stream.transactional.memory.attempts", 1L)
                .containsEntry("stream.transactional.memory.last-success", "2026-11-22T12:00:00Z")
                // Transactional's success says nothing of marketing's instance
                .containsEntry("stream.marketing.memory.state", "DOWN")
                .doesNotContainKey("stream.marketing.memory.last-success");

        // Marketing's own window, not the shared one
        clock.advance(Duration.ofMillis(5_000));
        assertThat(data(check.call()))
                .containsEntry("stream.marketing.state", "UP")
                .containsEntry("stream.marketing.memory.state", "UP");
    }

    @Test
    void downOnlyWhenNoStreamCanSendThenUpAgainAfterASuccessInAnyOfThem() {
        fails(marketing);
        fails(transactional);
        // The unnamed stream shows no failure: someone can still send.
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        fails(mail);
        HealthCheckResponse down = check.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(down))
                .containsEntry("memory.state", "DOWN")
                .containsEntry("stream.transactional.state", "DOWN")
                .containsEntry("stream.marketing.state", "DOWN");

        clock.advance(Duration.ofSeconds(1));
        transactional.send(Messages.simple());
        HealthCheckResponse up = check.call();
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(up))
                .containsEntry("stream.transactional.state", "UP")
                .containsEntry("memory.state", "DOWN")
                .containsEntry("stream.marketing.state", "DOWN");
    }
}
