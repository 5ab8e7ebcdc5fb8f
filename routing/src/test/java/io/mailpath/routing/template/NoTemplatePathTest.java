package io.mailpath.routing.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * No configured transport renders templates: a template message without fallback body could never be sent, so it
 * fails at once as rejected, before any transport is called, and nothing goes out unrendered.
 */
@MailpathTest(config = "mailpath.transports=" + PlainMemoryTransportProvider.NAME)
class NoTemplatePathTest {
    @Inject
    MailTransport mail;

    private final Mailbox plain = Mailbox.of(PlainMemoryTransportProvider.NAME);

    @Test
    void aTemplateWithoutFallbackBodyIsRejectedAtOnce() {
        Mail welcome = Mail.builder()
                .from("sender@example.com")
                .to("user@example.com")
                .subject("Welcome")
                .template("welcome")
                .substitution("name", "Ann")
                .build();

        MailException e = catchThrowableOfType(() -> mail.send(welcome), MailException.class);

        assertThat(e).isInstanceOf(MailRejectedException.class);
        assertThat(e.kind()).isEqualTo(FailureKind.REJECTED);
        assertThat(e.getMessage())
                .contains("Template 'welcome'")
                .contains(PlainMemoryTransportProvider.NAME)
                .contains("fallback body");
        assertThat(plain.deliveriesTried()).isZero();
    }
}
