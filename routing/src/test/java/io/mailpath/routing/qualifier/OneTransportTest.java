package io.mailpath.routing.qualifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.TransportName;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** {@code @TransportName} gives one transport without retries or failover. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class OneTransportTest {
    @Inject
    @TransportName("memory-backup")
    MailTransport backupOnly;

    @Test
    void sendsThroughThatTransportOnly() {
        assertThat(backupOnly.send(Messages.simple()).transport()).isEqualTo("memory-backup");
        assertThat(Mailbox.of("memory").deliveriesTried()).isZero();
    }

    @Test
    void aFailureGoesStraightToTheCaller() {
        Mailbox.of("memory-backup").failNext(1, SimulatedFailure.unavailable());

        assertThatThrownBy(() -> backupOnly.send(Messages.simple())).isInstanceOf(MailUnavailableException.class);
        assertThat(Mailbox.of("memory-backup").deliveriesTried()).isEqualTo(1);
        assertThat(Mailbox.of("memory").deliveriesTried()).isZero();
    }
}
