package io.mailpath.routing.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With {@code mailpath.failover.on-authentication=true} refused credentials fail over, without a retry. */
@MailpathTest(config = {"mailpath.transports=memory,memory-backup", "mailpath.failover.on-authentication=true"})
class AuthenticationFailsOverTest {
    @Inject
    MailTransport mail;

    @Test
    void theBackupDelivers() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.authentication());

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
        assertThat(Mailbox.of("memory").deliveriesTried()).isEqualTo(1);
    }
}
