package io.mailpath.routing.retrypolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The Fault Tolerance keys are the users' own: {@code PrimaryPath/send/Retry/maxRetries=0} fails over at once. */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "io.mailpath.routing.PrimaryPath/send/Retry/maxRetries=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/maxRetries=3"
        })
class NoRetriesTest {
    @Inject
    MailTransport mail;

    @Test
    void thePrimaryIsTriedOnceAndTheBackupUpToFourTimes() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.unavailable());
        Mailbox.of("memory-backup").failNext(3, SimulatedFailure.unavailable());

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(Mailbox.of("memory").deliveriesTried()).isEqualTo(1);
        assertThat(Mailbox.of("memory-backup").deliveriesTried()).isEqualTo(4);
    }
}
