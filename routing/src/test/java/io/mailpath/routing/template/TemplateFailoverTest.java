package io.mailpath.routing.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailFailoverException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A template message fails over to a transport that cannot render templates: it goes out with its fallback body, and
 * without one it is never sent unrendered; the error says why and carries the primary's failure.
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

    @Test
    void withoutAFallbackBodyNothingIsSentAndTheErrorCarriesThePrimaryFailure() {
        primary.failNext(3, SimulatedFailure.unavailable());

        assertThatThrownBy(() -> mail.send(template().build()))
                .isInstanceOf(MailFailoverException.class)
                .hasMessageContaining("cannot render template 'welcome'")
                .satisfies(e -> {
                    MailFailoverException f = (MailFailoverException) e;
                    assertThat(f.kind()).isEqualTo(FailureKind.REJECTED);
                    assertThat(f.possibleDuplicate()).isFalse();
                    assertThat(f.getCause().getCause()).isInstanceOf(MailUnavailableException.class);
                    assertThat(f.attempts())
                            .extracting(a -> a.transport() + ":" + a.failure())
                            .containsExactly(
                                    "memory:UNAVAILABLE",
                                    "memory:UNAVAILABLE",
                                    "memory:UNAVAILABLE",
                                    PlainMemoryTransportProvider.NAME + ":REJECTED");
                });
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
