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
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of the sending guide and of the errors section, run against an in-memory transport named {@code api} ({@link ApiStandIn})
 * and {@code memory-plain}, which like SMTP cannot render templates; {@link DocsExamplesTest} checks that the docs
 * quote each example as it is here.
 */
@MailpathTest(config = "mailpath.transports=api," + PlainMemoryTransportProvider.NAME)
class ApiAtAGlanceTest {
    // docs api-glance inject: start
    @Inject
    MailTransport mail; // routed: the transports of mailpath.transports in order, with retries and failover

    @Inject
    @TransportName("api")
    MailTransport apiOnly; // the API transport alone: no retries, no failover
    // docs api-glance inject: end

    private final Mailbox api = Mailbox.of("api");
    /** Stands in for SMTP: it cannot render templates or apply tracking options. */
    private final Mailbox smtp = Mailbox.of(PlainMemoryTransportProvider.NAME);

    @Test
    void addresses() {
        // docs api-glance addresses: start
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
        // docs api-glance addresses: end

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
        // docs api-glance content: start
        Mail thanks = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Thanks for your order") // required; one line, at most 998 characters
                .text("Thanks for your order.") // a text body, an HTML body, or both
                .html("<p>Thanks for your <b>order</b>.</p>")
                .header("X-Campaign", "spring") // custom headers; From, Subject, ... have their own methods
                .build();
        mail.send(thanks);
        // docs api-glance content: end

        assertThat(api.messages()).singleElement().satisfies(sent -> {
            assertThat(sent.mail().html()).isEqualTo("<p>Thanks for your <b>order</b>.</p>");
            assertThat(sent.mail().headers()).containsEntry("X-Campaign", "spring");
        });
    }

    @Test
    void template() {
        // docs api-glance template: start
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
        // docs api-glance template: end

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
        // docs api-glance attachments: start
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
        // docs api-glance attachments: end

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
        // docs api-glance tracking: start
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
        // docs api-glance tracking: end

        assertThat(api.messages()).singleElement().satisfies(sent -> assertThat(
                        sent.mail().tracking())
                .isEqualTo(new TrackingOptions(true, false, false)));
    }

    @Test
    void metadata() {
        // docs api-glance metadata: start
        Mail shipped = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Your order has shipped")
                .text("It is on its way.")
                .metadata("orderId", "1042") // comes back in Mailtarget's webhook events for this message
                .metadata("customerId", "c-77")
                .build();
        mail.send(shipped);
        // docs api-glance metadata: end

        assertThat(api.messages()).singleElement().satisfies(sent -> assertThat(
                        sent.mail().metadata())
                .containsExactly(Map.entry("orderId", "1042"), Map.entry("customerId", "c-77")));
    }

    @Test
    void id() {
        // docs api-glance id: start
        Mail confirmation = Mail.builder()
                .id("order-1042-confirmation") // your idempotency key; without it, a random UUID
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Order 1042 confirmed")
                .text("Thanks for your order.")
                .build();
        SendReceipt receipt = mail.send(confirmation);
        receipt.mailId(); // "order-1042-confirmation", the same on every path
        // docs api-glance id: end

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
        // docs api-glance receipt: start
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
        // docs api-glance receipt: end

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

    // docs errors: start
    /** What an application does with each failure of the routed MailTransport: the type says it, whatever the route. */
    static String sendOrExplain(MailTransport mail, Mail message) {
        try {
            return "sent through " + mail.send(message).transport();
        } catch (MailRejectedException e) {
            return "fix the message; sending it again fails again";
        } catch (MailAuthenticationException e) {
            return "fix the credentials of '" + e.transport() + "'";
        } catch (MailRateLimitedException e) {
            Duration wait = e.retryAfter().orElse(Duration.ofMinutes(1)); // a minute when the service did not say
            return "slow down, then send it again in " + wait.toSeconds() + " s";
        } catch (MailUnavailableException e) {
            return "nothing was sent: send it again later";
        } catch (MailUncertainException e) {
            return "it may have been delivered: send it again only with the same id()";
        } catch (MailConfigurationException e) {
            return "fix the mailpath.* configuration";
        }
    }
    // docs errors: end

    @Test
    void rejectedByThePrimaryReachesTheCallerAsItIs() {
        api.failNext(1, SimulatedFailure.rejected(400));

        assertThat(sendOrExplain(mail, message())).isEqualTo("fix the message; sending it again fails again");
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
                .satisfies(e -> assertThat(((MailException) e).kind()).isEqualTo(FailureKind.UNAVAILABLE));
        assertThat(smtp.deliveriesTried()).isZero();
    }

    @Test
    void authenticationDoesNotFailOverByDefault() {
        api.failNext(1, SimulatedFailure.authentication());

        assertThat(sendOrExplain(mail, message())).isEqualTo("fix the credentials of 'api'");
        assertThat(smtp.deliveriesTried()).isZero();
    }

    @Test
    void aRateLimitSaysWhenToTryAgain() {
        api.failNext(1, SimulatedFailure.rateLimited(Duration.ofSeconds(2)));

        assertThat(sendOrExplain(apiOnly, message())).isEqualTo("slow down, then send it again in 2 s");
    }

    @Test
    void anUnavailablePathSentNothing() {
        api.failNext(1, SimulatedFailure.unavailable());

        assertThat(sendOrExplain(apiOnly, message())).isEqualTo("nothing was sent: send it again later");
        assertThat(api.messages()).isEmpty();
    }

    @Test
    void anUncertainOutcomeMayHaveDelivered() {
        api.failNext(1, SimulatedFailure.uncertainAfterAccept());

        assertThat(sendOrExplain(apiOnly, message()))
                .isEqualTo("it may have been delivered: send it again only with the same id()");
        assertThat(api.messages()).hasSize(1);
    }

    @Test
    void theSameCatchHoldsAfterAFailover() {
        api.failNext(3, SimulatedFailure.unavailable());
        smtp.failNext(1, SimulatedFailure.rejected(554));

        assertThat(sendOrExplain(mail, message())).isEqualTo("fix the message; sending it again fails again");
        api.failNext(3, SimulatedFailure.unavailable());
        smtp.failNext(3, SimulatedFailure.unavailable());
        assertThat(sendOrExplain(mail, message())).isEqualTo("nothing was sent: send it again later");
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
