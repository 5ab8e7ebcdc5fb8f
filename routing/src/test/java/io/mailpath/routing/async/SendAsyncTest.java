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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code sendAsync} runs the same routing on another thread and completes with the receipt. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class SendAsyncTest {
    @Inject
    MailTransport mail;

    @Test
    void returnsBeforeTheSendIsDone() throws Exception {
        // A send that takes 3 s: a sendAsync that ran on the caller's thread would return it already done.
        Mailbox.of("memory").delay(Duration.ofSeconds(3));

        CompletableFuture<SendReceipt> pending =
                mail.sendAsync(Messages.simple()).toCompletableFuture();

        assertThat(pending.isDone()).isFalse();
        assertThat(pending.get(60, TimeUnit.SECONDS).transport()).isEqualTo("memory");
    }

    @Test
    void completesWithTheReceiptAfterFailingOver() throws Exception {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());

        SendReceipt receipt =
                mail.sendAsync(Messages.simple()).toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
    }

    @Test
    void manySendsAtOnceAreEachDeliveredOnce() throws Exception {
        List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(mail.sendAsync(Messages.simple()).toCompletableFuture());
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(Mailbox.of("memory").messages())
                .extracting(SentMail::mailId)
                .hasSize(20)
                .doesNotHaveDuplicates();
    }
}
