package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.SendingDomainException;
import io.mailpath.testing.MailpathTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/** The examples of the guide "Transactional and marketing mail", run as written. */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory,memory-backup",
            "mailpath.stream.transactional.from-domains=example.com",
            "mailpath.stream.marketing.transports=memory-backup",
            "mailpath.stream.marketing.from-domains=news.example.com"
        })
@AddBeanClasses(StreamsGuideTest.AccountMail.class)
class StreamsGuideTest {
    // docs streams inject: start
    @ApplicationScoped
    public static class AccountMail {
        @Inject
        @MailStream("transactional")
        MailTransport transactional;

        @Inject
        @MailStream("marketing")
        MailTransport marketing;

        public SendReceipt passwordReset(String to, String link) {
            return transactional.send(Mail.builder()
                    .from("security@example.com")
                    .to(to)
                    .subject("Reset your password")
                    .text("Follow " + link + " within the hour.")
                    .build());
        }

        public SendReceipt newsletter(String to) {
            return marketing.send(Mail.builder()
                    .from("news@news.example.com")
                    .to(to)
                    .subject("What is new this month")
                    .html("<p>Hello!</p>")
                    .build());
        }
    }
    // docs streams inject: end

    @Inject
    AccountMail mail;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Test
    void eachStreamSendsItsOwnMail() {
        assertThat(mail.passwordReset("ana@example.org", "https://example.com/r/1").stream())
                .isEqualTo("transactional");
        assertThat(mail.newsletter("ana@example.org").stream()).isEqualTo("marketing");
    }

    @Test
    void aStreamRefusesAnotherDomain() {
        Mail mailFromTheWrongDomain = Mail.builder()
                .from("security@example.com")
                .to("ana@example.org")
                .subject("Hi")
                .text("Hi")
                .build();
        String refused = null;
        // docs streams domain: start
        try {
            marketing.send(mailFromTheWrongDomain);
        } catch (SendingDomainException e) {
            // Nothing was sent: e.stream() is "marketing", e.domain() "example.com", e.allowed() its domains.
            refused = e.domain();
        }
        // docs streams domain: end
        assertThat(refused).isEqualTo("example.com");
    }
}
