package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.SendReceipt;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The README's quick start ({@link Receipts}) against an in-memory {@code api} and a stand-in for SMTP. */
@MailpathTest(config = "mailpath.transports=api," + PlainMemoryTransportProvider.NAME)
class QuickStartTest {
    @Inject
    Receipts receipts;

    @Test
    void theApiDelivers() {
        SendReceipt receipt = receipts.send("user@example.com");

        assertThat(receipt.transport()).isEqualTo("api");
        assertThat(receipt.failedOver()).isFalse();
        assertThat(Mailbox.of("api").messages())
                .singleElement()
                .satisfies(sent -> assertThat(sent.mail().metadata()).containsEntry("orderId", "1234"));
    }

    @Test
    void theOtherPathDeliversWhenTheApiIsDown() {
        Mailbox.of("api").failNext(3, SimulatedFailure.unavailable()); // one try and two retries

        SendReceipt receipt = receipts.send("user@example.com");

        assertThat(receipt.transport()).isEqualTo(PlainMemoryTransportProvider.NAME);
        assertThat(receipt.failedOver()).isTrue();
    }
}
