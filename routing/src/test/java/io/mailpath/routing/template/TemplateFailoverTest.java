package io.mailpath.routing.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A template message fails over to a transport that cannot render templates: it goes out with its fallback body, and
 * without one that transport is skipped (never sent unrendered); the error keeps the primary's kind and says why.
 */
@MailpathTest(config = "mailpath.transports=memory," + PlainMemoryTransportProvider.NAME)
class TemplateFailoverTest {
    @Inject
    MailTransport mail;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox plain = Mailbox.of(PlainMemoryTransportProvider.NAME);

    private static Mail.Builder template() {
        return Mail.builder()
                .from("sender@example.com")
                .to("user@example.com")
                .subject("Welcome")
                .template("welcome")
                .substitution("name", "Ann");
    }

    @Test
    void withAFallbackBodyThePlainTransportSendsIt() {
        primary.failNext(3, SimulatedFailure.unavailable());

        SendReceipt receipt = mail.send(template().text("Hello {{name}}").build());

        assertThat(receipt.transport()).isEqualTo(PlainMemoryTransportProvider.NAME);
        assertThat(plain.messages())
                .singleElement()
                .satisfies(s -> assertThat(s.mail().text()).isEqualTo("Hello {{name}}"));
    }

    /**
     * SMTP cannot carry this message, which says nothing about the message: the path is skipped, and the failure keeps
     * the kind of the path that was tried (the API's 503), so that a durable outbox tries it again later.
     */
    @Test
    void withoutAFallbackBodyThePlainPathIsSkippedAndTheFailureKeepsThePrimaryKind() {
        primary.failNext(3, SimulatedFailure.unavailable());

        MailException e = catchThrowableOfType(() -> mail.send(template().build()), MailException.class);

        assertThat(e).isInstanceOf(MailUnavailableException.class);
        assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getCause()).as("the original API failure").isInstanceOf(MailUnavailableException.class);
        assertThat(e.getMessage())
                .contains("'" + PlainMemoryTransportProvider.NAME + "'")
                .contains("cannot render template 'welcome'")
                .contains("fallback body");
        assertThat(e.possibleDuplicate()).isFalse();
        assertThat(e.attempts())
                .extracting(a -> a.transport() + ":" + (a.skipped() ? "skipped" : a.failure()))
                .containsExactly(
                        "memory:UNAVAILABLE",
                        "memory:UNAVAILABLE",
                        "memory:UNAVAILABLE",
                        PlainMemoryTransportProvider.NAME + ":skipped");
        Attempt skipped = e.attempts().get(3);
        assertThat(skipped.isSuccess()).isFalse();
        assertThat(skipped.detail()).contains("not tried").contains("cannot render template 'welcome'");
        assertThat(plain.deliveriesTried()).isZero();
    }

    @Test
    void aRateLimitedPrimaryKeepsItsKindAndRetryAfterWhenThePlainPathIsSkipped() {
        primary.failNext(1, SimulatedFailure.rateLimited(Duration.ofMinutes(5)));

        MailException e = catchThrowableOfType(() -> mail.send(template().build()), MailException.class);

        assertThat(e.kind()).isEqualTo(FailureKind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofMinutes(5));
        assertThat(plain.deliveriesTried()).isZero();
    }

    @Test
    void aHealthyPrimaryRendersTheTemplateItself() {
        SendReceipt receipt = mail.send(template().build());

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(primary.messages())
                .singleElement()
                .satisfies(s -> assertThat(s.mail().templateId()).isEqualTo("welcome"));
    }
}
