package io.mailpath.routing.threepaths;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Three transports: each is tried in the configured order, with its own retries, until one delivers. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup," + PlainMemoryTransportProvider.NAME)
class ThreeTransportsTest {
    @Inject
    MailTransport mail;

    @Test
    void theThirdDeliversWhenTheFirstTwoAreDown() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
        Mailbox.of("memory-backup").failNext(2, SimulatedFailure.unavailable());

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo(PlainMemoryTransportProvider.NAME);
        assertThat(receipt.failedOver()).isTrue();
        // The primary: one try and two retries; each later transport: one try and one retry.
        assertThat(receipt.attempts())
                .extracting(a -> a.transport() + ":" + a.failure())
                .containsExactly(
                        "memory:UNAVAILABLE",
                        "memory:UNAVAILABLE",
                        "memory:UNAVAILABLE",
                        "memory-backup:UNAVAILABLE",
                        "memory-backup:UNAVAILABLE",
                        PlainMemoryTransportProvider.NAME + ":null");
    }

    @Test
    void theSecondDeliversAndTheThirdIsNotTried() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(Mailbox.of(PlainMemoryTransportProvider.NAME).deliveriesTried())
                .isZero();
    }
}
