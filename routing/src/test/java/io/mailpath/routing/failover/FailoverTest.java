package io.mailpath.routing.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The primary is unavailable: retried by Fault Tolerance, then the next transport delivers. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class FailoverTest {
    @Inject
    MailTransport mail;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox backup = Mailbox.of("memory-backup");

    @Test
    void aHealthyPrimaryDelivers() {
        SendReceipt receipt = mail.send(Messages.simple());
        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(receipt.failedOver()).isFalse();
        assertThat(primary.messages()).hasSize(1);
        assertThat(backup.messages()).isEmpty();
    }

    @Test
    void anUnavailablePrimaryIsRetriedThenTheBackupDelivers() {
        primary.failNext(3, SimulatedFailure.unavailable());
        Mail m = Messages.simple();
        SendReceipt receipt = mail.send(m);
        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
        assertThat(receipt.possibleDuplicate()).isFalse();
        assertThat(primary.deliveriesTried()).isEqualTo(3);
        assertThat(primary.messages()).isEmpty();
        assertThat(backup.withMailId(m.id())).singleElement().satisfies(s -> assertThat(s.recipients())
                .containsExactly("user@example.com"));
        assertThat(receipt.attempts())
                .extracting(Attempt::transport, Attempt::failure)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("memory", FailureKind.UNAVAILABLE),
                        org.assertj.core.groups.Tuple.tuple("memory", FailureKind.UNAVAILABLE),
                        org.assertj.core.groups.Tuple.tuple("memory", FailureKind.UNAVAILABLE),
                        org.assertj.core.groups.Tuple.tuple("memory-backup", null));
    }

    @Test
    void aRejectedMessageIsNeitherRetriedNorFailedOver() {
        primary.failNext(1, SimulatedFailure.rejected(422));
        assertThatThrownBy(() -> mail.send(Messages.simple()))
                .isInstanceOf(MailRejectedException.class)
                .satisfies(e -> assertThat(((MailRejectedException) e).status()).isEqualTo(422));
        assertThat(primary.deliveriesTried()).isEqualTo(1);
        assertThat(backup.deliveriesTried()).isZero();
    }
}
