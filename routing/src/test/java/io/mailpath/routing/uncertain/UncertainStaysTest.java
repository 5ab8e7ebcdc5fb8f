package io.mailpath.routing.uncertain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With {@code mailpath.failover.on-uncertain=false} an uncertain outcome goes to the caller, never to another path. */
@MailpathTest(config = {"mailpath.transports=memory,memory-backup", "mailpath.failover.on-uncertain=false"})
class UncertainStaysTest {
    @Inject
    MailTransport mail;

    @Test
    void theCallerGetsTheUncertainFailureAndNothingElseIsSent() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());

        assertThatThrownBy(() -> mail.send(Messages.simple()))
                .isInstanceOf(MailException.class)
                .satisfies(e -> assertThat(((MailException) e).kind()).isEqualTo(FailureKind.UNCERTAIN));
        assertThat(Mailbox.of("memory").messages()).hasSize(1);
        assertThat(Mailbox.of("memory-backup").deliveriesTried()).isZero();
    }
}
