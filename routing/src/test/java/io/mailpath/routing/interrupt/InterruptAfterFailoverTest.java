package io.mailpath.routing.interrupt;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The sending thread is interrupted (the application stops) after the send failed over from a primary whose outcome
 * was uncertain: the caller's exception still says the message may have been delivered twice, and lists the attempts,
 * as every exception of a send that failed over does.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            // The backup's retry waits long enough for the interrupt to find the thread in that wait.
            "io.mailpath.routing.SecondaryPath/send/Retry/delay=600000",
            "io.mailpath.routing.SecondaryPath/send/Retry/jitter=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/maxDuration=1200000"
        })
class InterruptAfterFailoverTest {
    @Inject
    MailTransport mail;

    @Test
    void theExceptionKeepsThePossibleDuplicateAndTheAttempts() throws Exception {
        Mailbox primary = Mailbox.of("memory");
        Mailbox backup = Mailbox.of("memory-backup");
        primary.failNext(1, SimulatedFailure.uncertainAfterAccept());
        backup.failNext(5, SimulatedFailure.unavailable());
        Mail m = Messages.simple();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                mail.send(m);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        sender.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (backup.deliveriesTried() < 1 || sender.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the backup's retry wait began").isLessThan(deadline);
            Thread.sleep(10);
        }
        sender.interrupt();
        sender.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(sender.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(MailException.class);
        MailException e = (MailException) outcome.get();
        assertThat(e.kind()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(e.possibleDuplicate()).as("possible duplicate").isTrue();
        assertThat(e.attempts()).extracting(a -> a.transport()).startsWith("memory", "memory-backup");
        assertThat(e.attempts().get(0).failure()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(primary.withMailId(m.id())).hasSize(1);
    }
}
