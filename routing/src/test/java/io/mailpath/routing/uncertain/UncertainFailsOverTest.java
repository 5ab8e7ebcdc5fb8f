package io.mailpath.routing.uncertain;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The primary accepted the message but its answer was lost: by default the router fails over and flags it. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class UncertainFailsOverTest {
    @Inject
    MailTransport mail;

    @Test
    void theBackupDeliversAndTheReceiptSaysPossibleDuplicate() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());
        Mail m = Messages.simple();

        SendReceipt receipt = mail.send(m);

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
        assertThat(receipt.possibleDuplicate()).isTrue();
        // Both paths have it, with one id to recognise the duplicate by.
        assertThat(Mailbox.of("memory").withMailId(m.id())).hasSize(1);
        assertThat(Mailbox.of("memory-backup").withMailId(m.id())).hasSize(1);
        // Not retried on the primary: a retry could only add another copy.
        assertThat(Mailbox.of("memory").deliveriesTried()).isEqualTo(1);
    }
}
