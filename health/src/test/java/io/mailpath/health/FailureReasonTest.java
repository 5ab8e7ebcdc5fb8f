package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Address;
import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a probe may show of a failure: never the server's own words once it replied, and the transport's own words
 * only with every address, name and anything like them replaced.
 */
class FailureReasonTest {
    private static final Mail MAIL = Mail.builder()
            .from("shop@example.com")
            .to(Address.of("ann.example@example.com", "Ann Example"))
            .cc("bob@example.org")
            .subject("Order")
            .text("Thanks")
            .build();

    /** The forms a server or a library uses to quote an address, and a name the message does not carry. */
    private static final String ECHO = "<ann.example@example.com>, ann.example@example.com, \"Ann Example\","
            + " ANN.EXAMPLE@EXAMPLE.COM, Example, Ann; mailto:ann.example%40example.com; <postmaster>;"
            + " \"Cy Unknown\" <cy@example.net>, dee(at)example.net, bob@example.org";

    private static Attempt failed(FailureKind kind, int status, String detail) {
        return new Attempt("smtp", kind, status, Duration.ofMillis(5), detail);
    }

    private static void assertNoPersonalData(String reason) {
        assertThat(reason)
                .doesNotContainPattern("(?i)\\bann\\b")
                .doesNotContainPattern("(?i)\\bbob\\b")
                .doesNotContainIgnoringCase("cy unknown")
                .doesNotContainIgnoringCase("example.")
                .doesNotContain("@", "%40", "(at)", "postmaster");
    }

    @Test
    void aServerReplyIsNeverQuoted() {
        // An API error body that echoes the recipient, and an SMTP reply that does.
        String api = FailureReason.of(
                failed(FailureKind.REJECTED, 422, "Mailtarget API answered HTTP 422: recipient " + ECHO), MAIL);
        String smtp = FailureReason.of(failed(FailureKind.UNAVAILABLE, 451, "SMTP server replied 451 " + ECHO), MAIL);

        assertThat(api).isEqualTo("the server refused the message");
        assertThat(smtp).isEqualTo("the server cannot take mail now");
    }

    @Test
    void aRefusalOfEveryRecipientIsNamedSo() {
        Attempt refused = new Attempt("smtp", FailureKind.UNAVAILABLE, 451, Duration.ZERO, ECHO, false, true, null);

        assertThat(FailureReason.of(refused, MAIL)).isEqualTo("the server refused every recipient");
    }

    @Test
    void theTransportsOwnWordsKeepWhatHappenedAndLoseEveryAddress() {
        String reason = FailureReason.of(
                failed(
                        FailureKind.UNAVAILABLE,
                        MailException.NO_STATUS,
                        "SMTP server 127.0.0.1:2525 lost the connection (java.net.SocketException: Connection reset)"
                                + " after " + ECHO),
                MAIL);

        assertThat(reason)
                .startsWith("SMTP server 127.0.0.1:2525 lost the connection (java.net.SocketException: Connection"
                        + " reset)")
                .contains(FailureReason.REDACTED);
        assertNoPersonalData(reason);
    }

    @Test
    void aRejectionWithoutAStatusIsNamedByItsKind() {
        // An attachment that cannot be read is named by its file name, which may be personal.
        String reason = FailureReason.of(
                failed(
                        FailureKind.REJECTED,
                        MailException.NO_STATUS,
                        "Attachment 'invoice-ann-example.pdf' cannot be read"),
                MAIL);

        assertThat(reason).isEqualTo("the message cannot be sent as it is");
    }

    @Test
    void everyKindHasAPhrase() {
        for (FailureKind kind : FailureKind.values()) {
            assertThat(FailureReason.of(failed(kind, 500, ECHO), MAIL))
                    .isNotBlank()
                    .satisfies(r -> assertNoPersonalData(r));
            assertThat(FailureReason.of(failed(kind, MailException.NO_STATUS, null), MAIL))
                    .isNotBlank();
        }
    }
}
