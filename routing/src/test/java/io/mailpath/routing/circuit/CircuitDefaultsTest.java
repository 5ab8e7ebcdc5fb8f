package io.mailpath.routing.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.routing.RoutingState;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The default circuit breaker fits mail: independent noise on the primary does not send mail the long way round, a
 * dead primary is skipped soon, and a primary that is back is used again once the circuit's delay has passed. Only
 * the retry delay (which changes no count) and the circuit's delay (to wait 1 s, not 30) differ from the defaults.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "io.mailpath.routing.PrimaryPath/send/Retry/delay=1",
            "io.mailpath.routing.PrimaryPath/send/Retry/jitter=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/delay=1",
            "io.mailpath.routing.SecondaryPath/send/Retry/jitter=0",
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay=1000"
        })
class CircuitDefaultsTest {
    @Inject
    MailTransport mail;

    @Inject
    RoutingState state;

    private final Mailbox primary = Mailbox.of("memory");

    @Test
    void withAFifthOfCallsFailingAtRandomNineInTenMessagesStillGoThroughThePrimary() {
        primary.failRandomly(0.2, SimulatedFailure.unavailable(), 20261122);
        int throughPrimary = 0;
        for (int i = 0; i < 1000; i++) {
            if (mail.send(Messages.simple()).transport().equals("memory")) {
                throughPrimary++;
            }
        }
        assertThat(throughPrimary).isGreaterThanOrEqualTo(900);
    }

    @Test
    void aDeadPrimaryIsSkippedWithinTwentySendsAndUsedAgainOnceItIsBack() throws InterruptedException {
        primary.failRandomly(1.0, SimulatedFailure.unavailable(), 1);
        int sends = 0;
        SendReceipt receipt;
        do {
            receipt = mail.send(Messages.simple());
            sends++;
        } while (!receipt.attempts().get(0).detail().contains("circuit breaker open") && sends < 100);
        assertThat(sends).isLessThanOrEqualTo(20);
        int triedWhileOpen = primary.deliveriesTried();
        mail.send(Messages.simple());
        assertThat(primary.deliveriesTried()).isEqualTo(triedWhileOpen);
        assertThat(state.circuitRefusing("memory")).isTrue();

        primary.clear();
        Thread.sleep(1500); // past the circuit's delay: at least, never at most
        int untilPrimary = 0;
        while (!mail.send(Messages.simple()).transport().equals("memory") && untilPrimary < 10) {
            untilPrimary++;
        }
        assertThat(untilPrimary).isZero();
        assertThat(state.circuitRefusing("memory")).isFalse();
    }
}
