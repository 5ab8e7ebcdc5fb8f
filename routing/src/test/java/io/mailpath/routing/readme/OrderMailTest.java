package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The testing guide's example, as a user writes it; {@link DocsExamplesTest} keeps the guide in step. */
// docs test-kit example: start
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class OrderMailTest {
    /** The application's own bean, which sends through the routed MailTransport. */
    @ApplicationScoped
    static class OrderMails {
        @Inject
        MailTransport mail;

        SendReceipt confirm(String customer) {
            return mail.send(Mail.builder()
                    .from("shop@example.com")
                    .to(customer)
                    .subject("Your order")
                    .text("Thanks for your order.")
                    .build());
        }
    }

    @Inject
    OrderMails orders;

    @Test
    void theBackupDeliversWhenThePrimaryIsDown() {
        Mailbox primary = Mailbox.of("memory");
        primary.failNext(3, SimulatedFailure.unavailable()); // one try and two retries

        SendReceipt receipt = orders.confirm("ann@example.com");

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(receipt.failedOver()).isTrue();
        assertThat(primary.messages()).isEmpty();
        assertThat(Mailbox.of("memory-backup").to("ann@example.com"))
                .singleElement()
                .satisfies(sent -> assertThat(sent.subject()).isEqualTo("Your order"));
    }
}
// docs test-kit example: end
