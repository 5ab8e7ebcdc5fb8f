package io.mailpath.routing.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code sendAsync} runs the same routing on another thread and completes with the receipt. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class SendAsyncTest {
    @Inject
    MailTransport mail;

    @Test
    void completesWithTheReceiptAfterFailingOverOnAnotherThread() throws Exception {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
        Thread caller = Thread.currentThread();
        Thread[] sender = new Thread[1];

        SendReceipt receipt = mail.sendAsync(Messages.simple())
                .whenComplete((r, e) -> sender[0] = Thread.currentThread())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
        assertThat(sender[0]).isNotSameAs(caller);
    }

    @Test
    void manySendsAtOnceAreEachDeliveredOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            mail.sendAsync(Messages.simple());
        }
        List<SentMail> sent = Mailbox.of("memory").await(20, Duration.ofSeconds(30));
        assertThat(sent).extracting(SentMail::mailId).doesNotHaveDuplicates().hasSize(20);
    }
}
