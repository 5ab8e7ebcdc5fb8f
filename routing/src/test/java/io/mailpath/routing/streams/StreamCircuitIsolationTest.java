package io.mailpath.routing.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.routing.MarketingMemoryTransportProvider;
import io.mailpath.routing.Messages;
import io.mailpath.routing.RoutingState;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Each stream has its own circuit breaker: marketing's dead transport opens marketing's circuit only, and the unnamed
 * stream's Fault Tolerance circuit opening leaves the named streams' alone.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory-backup",
            "mailpath.stream.marketing.transports=" + MarketingMemoryTransportProvider.NAME,
            "io.mailpath.routing.PrimaryPath/Retry/maxRetries=0",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/requestVolumeThreshold=4",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/failureRatio=1.0",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay=60000"
        })
class StreamCircuitIsolationTest {
    @Inject
    MailTransport unnamed;

    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Inject
    RoutingState state;

    @Test
    void oneStreamsOpenCircuitRefusesOnlyThatStreamsMail() {
        Mailbox dead = Mailbox.of(MarketingMemoryTransportProvider.NAME);
        dead.failRandomly(1.0, SimulatedFailure.unavailable(), 1);
        try {
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> marketing.send(Messages.simple()))
                        .isInstanceOf(MailUnavailableException.class);
                // Between marketing's failures, transactional mail goes out through its primary at its first try.
                SendReceipt r = transactional.send(Messages.simple());
                assertThat(r.transport()).isEqualTo("memory-backup");
                assertThat(r.attempts()).hasSize(1);
            }
            assertThat(dead.deliveriesTried()).isEqualTo(4);

            assertThatThrownBy(() -> marketing.send(Messages.simple()))
                    .isInstanceOf(MailUnavailableException.class)
                    .hasMessageContaining("circuit breaker open");
            assertThat(dead.deliveriesTried())
                    .as("refused by marketing's circuit")
                    .isEqualTo(4);
            assertThat(state.circuitRefusing("marketing", MarketingMemoryTransportProvider.NAME))
                    .isTrue();

            SendReceipt r = transactional.send(Messages.simple());
            assertThat(r.attempts()).hasSize(1);
            assertThat(r.failedOver()).isFalse();
            assertThat(unnamed.send(Messages.simple()).attempts()).hasSize(1);
            assertThat(state.circuitRefusing("transactional", "memory-backup")).isFalse();
            assertThat(state.circuitRefusing("memory")).isFalse();
        } finally {
            dead.clear();
        }
    }

    @Test
    void theUnnamedStreamsCircuitLeavesTheNamedStreamsAlone() {
        Mailbox unnamedsOwn = Mailbox.of("memory");
        unnamedsOwn.failRandomly(1.0, SimulatedFailure.unavailable(), 1);
        try {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> unnamed.send(Messages.simple())).isInstanceOf(MailUnavailableException.class);
            }
            assertThat(state.circuitRefusing("memory")).isTrue();

            Mail m = Messages.simple();
            assertThat(transactional.send(m).attempts()).hasSize(1);
            assertThat(state.circuitRefusing("transactional", "memory-backup")).isFalse();
        } finally {
            unnamedsOwn.clear();
        }
    }
}
