package io.mailpath.routing.errortype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mailpath.FailureKind;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A failover does not change what a caller catches: the exception's type is the one of the final kind on every route,
 * and the attempts of the failover are on it.
 */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class ErrorTypeAfterFailoverTest {
    @Inject
    MailTransport mail;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox backup = Mailbox.of("memory-backup");

    @Test
    void aRejectionAfterAFailoverIsCaughtAsARejection() {
        // The API answers 503 (and again on each retry), then SMTP refuses the message with 554.
        primary.failNext(3, SimulatedFailure.unavailable());
        backup.failNext(1, SimulatedFailure.rejected(554));

        try {
            mail.send(Messages.simple());
            fail("the send should have failed");
        } catch (MailRejectedException e) {
            assertThat(e.kind()).isEqualTo(FailureKind.REJECTED);
            assertThat(e.transport()).isEqualTo("memory-backup");
            assertThat(e.status()).isEqualTo(554);
            assertThat(e.possibleDuplicate()).isFalse();
            assertThat(e.getCause()).isInstanceOf(MailRejectedException.class);
            assertThat(e.getSuppressed()).singleElement().isInstanceOf(MailUnavailableException.class);
            assertThat(e.attempts())
                    .extracting(a -> a.transport() + ":" + a.failure() + ":" + a.status())
                    .containsExactly(
                            "memory:UNAVAILABLE:503",
                            "memory:UNAVAILABLE:503",
                            "memory:UNAVAILABLE:503",
                            "memory-backup:REJECTED:554");
        }
    }

    @Test
    void aRejectionWithoutFailoverIsTheTransportsOwnWithNoAttempts() {
        primary.failNext(1, SimulatedFailure.rejected(400));

        try {
            mail.send(Messages.simple());
            fail("the send should have failed");
        } catch (MailRejectedException e) {
            assertThat(e.transport()).isEqualTo("memory");
            assertThat(e.attempts()).isEmpty();
            assertThat(e.possibleDuplicate()).isFalse();
        }
        assertThat(backup.deliveriesTried()).isZero();
    }

    @Test
    void anUnavailableBackupAfterAnUnavailablePrimaryIsCaughtAsUnavailable() {
        primary.failNext(3, SimulatedFailure.unavailable());
        backup.failNext(2, SimulatedFailure.unavailable());

        try {
            mail.send(Messages.simple());
            fail("the send should have failed");
        } catch (MailUnavailableException e) {
            assertThat(e.attempts()).hasSize(5);
            assertThat(e.retryAfter()).isEmpty();
        }
    }
}
