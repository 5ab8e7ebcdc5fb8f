package io.mailpath.routing.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The primary asks to slow down: a {@code Retry-After} within {@code mailpath.failover.rate-limit-max-wait-ms} is
 * waited for and the primary tried once more; a longer or unknown one fails over at once.
 */
@MailpathTest(config = {"mailpath.transports=memory,memory-backup", "mailpath.failover.rate-limit-max-wait-ms=2000"})
class RateLimitTest {
    @Inject
    MailTransport mail;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox backup = Mailbox.of("memory-backup");

    @Test
    void aRetryAfterWithinTheWaitIsHonouredAndThePrimaryDelivers() {
        primary.failNext(1, SimulatedFailure.rateLimited(Duration.ofMillis(300)));
        long start = System.nanoTime();

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(receipt.failedOver()).isFalse();
        assertThat(receipt.attempts())
                .extracting(Attempt::transport, Attempt::failure)
                .containsExactly(tuple("memory", FailureKind.RATE_LIMITED), tuple("memory", null));
        assertThat(primary.deliveriesTried()).isEqualTo(2);
        assertThat(backup.deliveriesTried()).isZero();
    }

    @Test
    @Timeout(120)
    void aRetryAfterLongerThanTheWaitFailsOverWithoutWaiting() {
        // An hour: if the router waited, the test's timeout would fail it rather than let it pass slowly.
        primary.failNext(1, SimulatedFailure.rateLimited(Duration.ofHours(1)));

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
        assertThat(primary.deliveriesTried()).isEqualTo(1);
        assertThat(backup.messages()).hasSize(1);
    }

    @Test
    void anUnknownRetryAfterFailsOver() {
        primary.failNext(1, SimulatedFailure.rateLimited(null));

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(primary.deliveriesTried()).isEqualTo(1);
    }

    @Test
    void aSecondRateLimitAfterTheWaitFailsOver() {
        primary.failNext(2, SimulatedFailure.rateLimited(Duration.ofMillis(100)));

        SendReceipt receipt = mail.send(Messages.simple());

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.attempts())
                .extracting(Attempt::transport, Attempt::failure)
                .containsExactly(
                        tuple("memory", FailureKind.RATE_LIMITED),
                        tuple("memory", FailureKind.RATE_LIMITED),
                        tuple("memory-backup", null));
    }

    @Test
    @Timeout(120)
    void whenEveryPathAsksToWaitTheFailureSaysTheLongestRetryAfter() {
        primary.failNext(1, SimulatedFailure.rateLimited(Duration.ofMinutes(10)));
        backup.failNext(1, SimulatedFailure.rateLimited(Duration.ofMinutes(3)));

        // Read through the root type, as the outbox does: the wrapping must not lose it.
        MailException e = catchThrowableOfType(() -> mail.send(Messages.simple()), MailException.class);

        assertThat(e).isInstanceOf(MailRateLimitedException.class);
        assertThat(e.kind()).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofMinutes(10));
    }

    @Test
    @Timeout(120)
    void aRetryAfterOfTheFirstPathSurvivesALaterFailureOfAnotherKind() {
        primary.failNext(1, SimulatedFailure.rateLimited(Duration.ofMinutes(10)));
        backup.failNext(2, SimulatedFailure.unavailable());

        MailException e = catchThrowableOfType(() -> mail.send(Messages.simple()), MailException.class);

        assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.retryAfter()).contains(Duration.ofMinutes(10));
    }

    @Test
    void withoutARateLimitNoRetryAfterIsKnown() {
        primary.failNext(3, SimulatedFailure.unavailable());
        backup.failNext(2, SimulatedFailure.unavailable());

        MailException e = catchThrowableOfType(() -> mail.send(Messages.simple()), MailException.class);

        assertThat(e).isInstanceOf(MailUnavailableException.class);
        assertThat(e.retryAfter()).isEmpty();
    }
}
