package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mailpath.Address;
import io.mailpath.Attachment;
import io.mailpath.Attempt;
import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import io.mailpath.TrackingOptions;
import io.mailpath.TransportName;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "API at a glance" examples, run against an in-memory transport named {@code api} ({@link ApiStandIn})
 * and {@code memory-plain}, which like SMTP cannot render templates; {@link ReadmeExamplesTest} checks that the README
 * quotes each example as it is here.
 */
@MailpathTest(config = "mailpath.transports=api," + PlainMemoryTransportProvider.NAME)
class ApiAtAGlanceTest {
    // README api-glance inject: start
    @Inject
    MailTransport mail; // routed: the transports of mailpath.transports in order, with retries and failover

    @Inject
    @TransportName("api")
    MailTransport apiOnly; // the API transport alone: no retries, no failover
    // README api-glance inject: end

    private final Mailbox api = Mailbox.of("api");
    /** Stands in for SMTP: it cannot render templates or apply tracking options. */
    private final Mailbox smtp = Mailbox.of(PlainMemoryTransportProvider.NAME);

    @Test
    void addresses() {
        // README api-glance addresses: start
        Mail welcome = Mail.builder()
                .from("team@example.com", "Example Team") // or from(Address.of(email, name))
                .to("ann@example.com", "bob@example.com") // one or more
                .to(Address.of("carol@example.com", "Carol Jones")) // with a display name
                .cc("accounts@example.com")
                .bcc("archive@example.com") // receives it, named in no header
                .replyTo("support@example.com")
                .subject("Welcome")
                .text("Welcome aboard.")
                .build();
        mail.send(welcome);
        // README api-glance addresses: end

        assertThat(api.messages()).singleElement().satisfies(sent -> {
            assertThat(sent.recipients())
                    .containsExactly(
                            "ann@example.com",
                            "bob@example.com",
                            "carol@example.com",
                            "accounts@example.com",
                            "archive@example.com");
            assertThat(sent.mail().from()).isEqualTo(Address.of("team@example.com", "Example Team"));
            assertThat(sent.mail().replyTo()).containsExactly(Address.of("support@example.com"));
        });
    }

    @Test
    void content() {
        // README api-glance content: start
        Mail thanks = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Thanks for your order") // required; one line, at most 998 characters
                .text("Thanks for your order.") // a text body, an HTML body, or both
                .html("<p>Thanks for your <b>order</b>.</p>")
                .header("X-Campaign", "spring") // custom headers; From, Subject, ... have their own methods
                .build();
        mail.send(thanks);
        // README api-glance content: end

        assertThat(api.messages()).singleElement().satisfies(sent -> {
            assertThat(sent.mail().html()).isEqualTo("<p>Thanks for your <b>order</b>.</p>");
            assertThat(sent.mail().headers()).containsEntry("X-Campaign", "spring");
        });
    }

    @Test
    void template() {
        // README api-glance template: start
        Mail welcome = Mail.builder()
                .from("team@example.com")
                .to("ann@example.com", "bob@example.com")
                .subject("Welcome, {{firstName}}")
                .template("welcome-v2") // a Mailtarget template id: the API renders it
                .substitution("plan", "Pro") // for every recipient
                .substitutionData(Map.of("team", "Example"))
                .recipientData("ann@example.com", Map.of("firstName", "Ann")) // sent once per recipient
                .recipientData("bob@example.com", Map.of("firstName", "Bob"))
                .text("Hello {{firstName}}, welcome to {{plan}}.") // fallback body where templates cannot render
                .build();
        SendReceipt receipt = mail.send(welcome);
        // README api-glance template: end

        assertThat(receipt.deliveries()).hasSize(2);
        assertThat(api.messages())
                .extracting(SentMail::recipients)
                .containsExactlyInAnyOrder(List.of("ann@example.com"), List.of("bob@example.com"));
        assertThat(welcome.substitutionDataFor(Address.of("ann@example.com")))
                .containsEntry("firstName", "Ann")
                .containsEntry("plan", "Pro")
                .containsEntry("team", "Example");
    }

    @Test
    void attachments(@TempDir Path dir) throws IOException {
        byte[] invoicePdf = {'%', 'P', 'D', 'F'};
        byte[] logoPng = {(byte) 0x89, 'P', 'N', 'G'};
        Path usageCsv = Files.writeString(dir.resolve("usage.csv"), "day,messages\n1,42\n");
        // README api-glance attachments: start
        Mail invoice = Mail.builder()
                .from("billing@example.com")
                .to("ann@example.com")
                .subject("Invoice 1042")
                .html("<p><img src=\"cid:logo\" alt=\"Example\"> Your invoice is attached.</p>")
                .attach(Attachment.named("invoice-1042.pdf")
                        .type("application/pdf")
                        .bytes(invoicePdf))
                .attach(Attachment.named("usage.csv").type("text/csv").file(usageCsv)) // streamed when sent
                .attach(Attachment.inline("logo")
                        .named("logo.png")
                        .type("image/png")
                        .bytes(logoPng))
                .build();
        mail.send(invoice);
        // README api-glance attachments: end

        assertThat(api.messages()).singleElement().satisfies(sent -> assertThat(
                        sent.mail().attachments())
                .extracting(Attachment::filename, Attachment::contentType, Attachment::contentId)
                .containsExactly(
                        tuple("invoice-1042.pdf", "application/pdf", null),
                        tuple("usage.csv", "text/csv", null),
                        tuple("logo.png", "image/png", "logo")));
    }

    @Test
    void tracking() {
        // README api-glance tracking: start
        Mail digest = Mail.builder()
                .from("news@example.com")
                .to("ann@example.com")
                .subject("This week")
                .html("<p>This week at Example: <a href=\"https://example.com/news\">the news</a></p>")
                .tracking(TrackingOptions.DEFAULT // null (the default) keeps the account's setting
                        .withOpenTracking(true)
                        .withClickTracking(false)
                        .withTransactional(false))
                .build();
        mail.send(digest);
        // README api-glance tracking: end

        assertThat(api.messages()).singleElement().satisfies(sent -> assertThat(
                        sent.mail().tracking())
                .isEqualTo(new TrackingOptions(true, false, false)));
    }

    @Test
    void metadata() {
        // README api-glance metadata: start
        Mail shipped = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Your order has shipped")
                .text("It is on its way.")
                .metadata("orderId", "1042") // comes back in Mailtarget's webhook events for this message
                .metadata("customerId", "c-77")
                .build();
        mail.send(shipped);
        // README api-glance metadata: end

        assertThat(api.messages()).singleElement().satisfies(sent -> assertThat(
                        sent.mail().metadata())
                .containsExactly(Map.entry("orderId", "1042"), Map.entry("customerId", "c-77")));
    }

    @Test
    void id() {
        // README api-glance id: start
        Mail confirmation = Mail.builder()
                .id("order-1042-confirmation") // your idempotency key; without it, a random UUID
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Order 1042 confirmed")
                .text("Thanks for your order.")
                .build();
        SendReceipt receipt = mail.send(confirmation);
        receipt.mailId(); // "order-1042-confirmation", the same on every path
        // README api-glance id: end

        assertThat(receipt.mailId()).isEqualTo("order-1042-confirmation");
        assertThat(api.withMailId("order-1042-confirmation")).hasSize(1);
    }

    @Test
    void oneTransportByName() {
        api.failNext(1, SimulatedFailure.unavailable());

        assertThatThrownBy(() -> apiOnly.send(message())).isInstanceOf(MailUnavailableException.class);
        assertThat(api.deliveriesTried()).isEqualTo(1);
        assertThat(smtp.deliveriesTried()).isZero();
        assertThat(apiOnly.send(message()).transport()).isEqualTo("api");
    }

    @Test
    void receipt() {
        Mail message = message();
        api.failNext(3, SimulatedFailure.unavailable());
        // README api-glance receipt: start
        SendReceipt receipt = mail.send(message);
        receipt.transport(); // "api", or "smtp" when the API failed and SMTP delivered
        receipt.mailId(); // the message's id()
        receipt.failedOver(); // true: an earlier transport failed first
        receipt.possibleDuplicate(); // true: an earlier attempt may have delivered it too
        receipt.transmissionId(); // Mailtarget's id of the first delivery (API path), else null
        receipt.messageId(); // the Message-ID of the first delivery (SMTP path), else null
        receipt.accepted(); // every recipient a server accepted
        receipt.isPartial(); // true: some recipients were refused, listed in rejected()
        for (Delivery delivery : receipt.deliveries()) { // one, or one per recipient with recipientData
            delivery.recipients();
            delivery.transmissionId();
            delivery.messageId();
        }
        for (RejectedRecipient refused : receipt.rejected()) {
            refused.address();
            refused.kind(); // REJECTED, UNAVAILABLE (not delivered) or UNCERTAIN (may have been)
            refused.status(); // the reply code or HTTP status, or -1
            refused.reason();
        }
        for (Attempt attempt : receipt.attempts()) { // failed ones first, the delivering one last
            attempt.transport();
            attempt.failure(); // the FailureKind, or null for the attempt that delivered
            attempt.status();
            attempt.duration();
            attempt.detail(); // why it failed, without secrets
        }
        // README api-glance receipt: end

        assertThat(receipt.transport()).isEqualTo(PlainMemoryTransportProvider.NAME);
        assertThat(receipt.failedOver()).isTrue();
        assertThat(receipt.possibleDuplicate()).isFalse();
        assertThat(receipt.isPartial()).isFalse();
        assertThat(receipt.messageId()).isNotNull();
        assertThat(receipt.accepted()).containsExactly("ann@example.com");
        assertThat(receipt.attempts())
                .extracting(a -> a.transport() + ":" + a.failure())
                .containsExactly(
                        "api:UNAVAILABLE",
                        "api:UNAVAILABLE",
                        "api:UNAVAILABLE",
                        PlainMemoryTransportProvider.NAME + ":null");
    }

    // README api-glance errors: start
    /** What an application does with each kind of failure of the routed MailTransport. */
    static String sendOrExplain(MailTransport mail, Mail message) {
        try {
            return "sent through " + mail.send(message).transport();
        } catch (MailException e) {
            // The type is the kind's on every route (MailRejectedException, ...); attempts() is empty without failover.
            String tries = e.attempts().isEmpty() ? "no failover" : e.attempts().size() + " attempts";
            String what =
                    switch (e.kind()) {
                        case REJECTED -> "fix the message; sending it again fails again";
                        case AUTHENTICATION -> "fix the credentials of '" + e.transport() + "'";
                        case RATE_LIMITED -> "slow down, then send it again";
                        case UNAVAILABLE -> "nothing was sent: send it again later";
                        case UNCERTAIN -> "it may have been delivered: send it again only with the same id()";
                        case CONFIGURATION -> "fix the mailpath.* configuration";
                    };
            return e.kind() + " (" + tries + "): " + what;
        }
    }
    // README api-glance errors: end

    @Test
    void rejectedByThePrimaryReachesTheCallerAsItIs() {
        api.failNext(1, SimulatedFailure.rejected(400));

        assertThat(sendOrExplain(mail, message())).startsWith("REJECTED (no failover)");
        assertThat(smtp.deliveriesTried()).isZero();
    }

    @Test
    void aTemplateWithoutFallbackBodySkipsSmtpAndKeepsTheApiFailure() {
        api.failNext(3, SimulatedFailure.unavailable());
        Mail template = Mail.builder()
                .from("team@example.com")
                .to("ann@example.com")
                .subject("Welcome")
                .template("welcome-v2")
                .build();

        assertThatThrownBy(() -> mail.send(template))
                .isInstanceOf(MailUnavailableException.class)
                .hasMessageContaining("cannot render template 'welcome-v2'")
                .satisfies(e -> {
                    assertThat(((MailException) e).kind()).isEqualTo(FailureKind.UNAVAILABLE);
                    assertThat(e.getCause()).isInstanceOf(MailUnavailableException.class);
                });
        api.failNext(3, SimulatedFailure.unavailable());
        assertThat(sendOrExplain(mail, template)).startsWith("UNAVAILABLE (4 attempts)");
        assertThat(smtp.deliveriesTried()).isZero();
    }

    @Test
    void authenticationDoesNotFailOverByDefault() {
        api.failNext(1, SimulatedFailure.authentication());

        assertThat(sendOrExplain(mail, message()))
                .isEqualTo("AUTHENTICATION (no failover): fix the credentials of 'api'");
    }

    @Test
    void rateLimitedOnEveryPath() {
        api.failNext(1, SimulatedFailure.rateLimited(null));
        smtp.failNext(1, SimulatedFailure.rateLimited(null));

        assertThat(sendOrExplain(mail, message())).startsWith("RATE_LIMITED (2 attempts)");
    }

    @Test
    void unavailableOnEveryPath() {
        api.failNext(3, SimulatedFailure.unavailable());
        smtp.failNext(2, SimulatedFailure.unavailable());

        assertThat(sendOrExplain(mail, message())).startsWith("UNAVAILABLE (5 attempts)");
    }

    @Test
    void uncertainWinsWhenALaterPathFails() {
        api.failNext(1, SimulatedFailure.uncertainAfterAccept());
        smtp.failNext(2, SimulatedFailure.unavailable());

        assertThat(sendOrExplain(mail, message())).startsWith("UNCERTAIN (3 attempts)");
        assertThat(api.messages()).hasSize(1);
    }

    @Test
    void aDeliveryNeedsNoHandling() {
        assertThat(sendOrExplain(mail, message())).isEqualTo("sent through api");
    }

    private static Mail message() {
        return Mail.builder()
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Order 1042")
                .text("Thanks.")
                .build();
    }
}
