package io.mailpath.routing.latesuccess;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The primary answers after the Fault Tolerance timeout fired: it did deliver. The router may keep that success (what
 * DESIGN.md asks for) or fail over as if nothing was sent (what it does today: SmallRye Fault Tolerance reports the
 * timeout); either way the message is never sent twice without the receipt saying so.
 */
@MailpathTest(
        config = {"mailpath.transports=memory,memory-backup", "io.mailpath.routing.PrimaryPath/send/Timeout/value=200"})
class LateSuccessTest {
    @Inject
    MailTransport mail;

    @Test
    void aDeliveryAfterTheTimeoutIsNeverAnUnflaggedDuplicate() {
        // Far past the timeout, so that the timeout surely fires first even on a busy machine.
        Mailbox.of("memory").delay(Duration.ofMillis(1500));
        Mail m = Messages.simple();

        SendReceipt receipt = mail.send(m);

        assertThat(Mailbox.of("memory").withMailId(m.id())).hasSize(1);
        if (receipt.transport().equals("memory")) {
            assertThat(Mailbox.of("memory-backup").messages()).isEmpty();
        } else {
            assertThat(Mailbox.of("memory-backup").withMailId(m.id())).hasSize(1);
            assertThat(receipt.possibleDuplicate()).isTrue();
        }
    }
}
