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
 * An application that cannot serve without its transactional stream lists it in
 * {@code mailpath.health.required-streams}: that stream's outage makes readiness DOWN while the others can send;
 * marketing's, not listed, is reported only.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory",
            "mailpath.stream.marketing.transports=memory",
            "mailpath.health.required-streams=transactional",
            "io.mailpath.routing.PrimaryPath/send/Retry/maxRetries=0",
            "io.mailpath.routing.PrimaryPath/sendInStream/Retry/maxRetries=0"
        })
class RequiredStreamReadinessTest extends ReadinessScenario {
    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    private void fails(MailTransport stream) {
        Mailbox.of("memory").failNext(1, SimulatedFailure.unavailable());
        assertThatThrownBy(() -> stream.send(Messages.simple())).isInstanceOf(MailException.class);
    }

    @Test
    void anOutageOfAStreamNotListedLeavesReadinessUp() {
        fails(marketing);

        HealthCheckResponse response = check.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(response))
                .containsEntry("stream.marketing.state", "DOWN")
                .containsEntry("stream.marketing.required", false);
    }

    @Test
    void anOutageOfARequiredStreamMakesReadinessDownWhileOthersCanSend() {
        fails(transactional);

        HealthCheckResponse down = check.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(down))
                .containsEntry("stream.transactional.state", "DOWN")
                .containsEntry("stream.transactional.required", true)
                .containsEntry("stream.marketing.state", "UP")
                .containsEntry("memory.state", "UP");

        // Its window passes: it comes back by itself, as every DOWN readiness must.
        clock.advance(Duration.ofSeconds(30));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
