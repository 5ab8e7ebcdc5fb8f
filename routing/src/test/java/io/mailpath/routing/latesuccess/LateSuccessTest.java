package io.mailpath.routing.latesuccess;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The primary answers after the Fault Tolerance timeout fired. What the transport saw decides, not the timeout: a
 * delivery is a delivery (no second copy), a failure keeps the kind the transport gave it by protocol phase.
 */
@MailpathTest(
        config = {"mailpath.transports=memory,memory-backup", "io.mailpath.routing.PrimaryPath/send/Timeout/value=200"})
class LateSuccessTest {
    @Inject
    MailTransport mail;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox backup = Mailbox.of("memory-backup");

    @BeforeEach
    void slowPrimary() {
        // Far past the timeout, so that the timeout surely fires first even on a busy machine.
        primary.delay(Duration.ofMillis(1500));
    }

    @Test
    void aDeliveryAfterTheTimeoutIsTheReceiptAndNothingIsSentTwice() {
        Mail m = Messages.simple();

        SendReceipt receipt = mail.send(m);

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(receipt.failedOver()).isFalse();
        assertThat(receipt.possibleDuplicate()).isFalse();
        assertThat(primary.withMailId(m.id())).hasSize(1);
        assertThat(backup.deliveriesTried()).isZero();
    }

    @Test
    void aFailureBeforeAcceptanceAfterTheTimeoutFailsOverWithoutAPossibleDuplicate() {
        primary.failNext(1, SimulatedFailure.unavailable());

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.possibleDuplicate()).isFalse();
        assertThat(receipt.attempts())
                .extracting(a -> a.transport() + ":" + a.failure())
                .containsExactly("memory:UNAVAILABLE", "memory-backup:null");
    }

    @Test
    void anUncertainOutcomeAfterTheTimeoutFailsOverAsAPossibleDuplicate() {
        primary.failNext(1, SimulatedFailure.uncertainAfterAccept());

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.possibleDuplicate()).isTrue();
        assertThat(receipt.attempts().get(0).failure()).isEqualTo(FailureKind.UNCERTAIN);
    }
}
