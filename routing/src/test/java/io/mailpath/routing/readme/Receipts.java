package io.mailpath.routing.readme;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The README's quick start, as an application's bean; {@link QuickStartTest} runs it. */
// docs quick-start: start
@ApplicationScoped
public class Receipts {
    @Inject
    MailTransport mail; // routed: the API first, SMTP when the API fails

    public SendReceipt send(String customer) {
        SendReceipt receipt = mail.send(Mail.builder()
                .from("billing@yourcompany.com", "Your Company")
                .to(customer)
                .subject("Your receipt")
                .html("<p>Thanks for your order.</p>")
                .metadata("orderId", "1234")
                .build());
        receipt.transport(); // "api", or "smtp" when the API failed and SMTP delivered
        receipt.failedOver(); // true when the primary failed first: worth an alert
        receipt.transmissionId(); // Mailtarget's id (API path); correlates with webhook events
        receipt.messageId(); // the Message-ID (SMTP path)
        return receipt;
    }
}
// docs quick-start: end
