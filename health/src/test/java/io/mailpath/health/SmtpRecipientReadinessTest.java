package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.peers.TestSmtpServer;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The only path is the real SMTP transport, and the server refuses recipients one by one at RCPT. A recipient's
 * refusal says nothing about the path (the next message goes through), so readiness stays UP; and what the server
 * answered, which quotes the address in every form, never reaches the probe: it carries no personal data.
 */
@MailpathTest(
        config = {
            "mailpath.transports=smtp",
            "mailpath.smtp.host=127.0.0.1",
            "mailpath.smtp.username=" + TestSmtpServer.USER,
            "mailpath.smtp.password=" + TestSmtpServer.PASSWORD,
            "io.mailpath.routing.PrimaryPath/send/Retry/delay=1",
            "io.mailpath.routing.PrimaryPath/send/Retry/jitter=0"
        })
class SmtpRecipientReadinessTest extends SmtpScenario {
    private static final String ANN = "ann.example@example.com";
    private static final String BOB = "bob@example.com";

    /** A reply that quotes the refused address as servers do: bracketed, bare, encoded, with and without the name. */
    private static final String ECHOING_REPLY = "5.1.1 <ann.example@example.com>: Recipient address rejected:"
            + " ann.example@example.com unknown (Ann Example, \"Ann Example\" <ANN.EXAMPLE@EXAMPLE.COM>,"
            + " mailto:ann.example%40example.com, Example, Ann)";

    @AfterEach
    void acceptEveryone() {
        smtp.rcptReplies.clear();
        smtp.rcptReplyTexts.clear();
        smtp.dataReply = 0;
    }

    private static Mail to(String... recipients) {
        Mail.Builder mail =
                Mail.builder().from("sender@example.com").subject("Recipients").text("Hello");
        for (String r : recipients) {
            mail.to(r.equals(ANN) ? io.mailpath.Address.of(ANN, "Ann Example") : io.mailpath.Address.of(r));
        }
        return mail.build();
    }

    private Map<String, Object> probe(HealthCheckResponse.Status expected) {
        HealthCheckResponse response = check.call();
        assertThat(response.getStatus()).isEqualTo(expected);
        return data(response);
    }

    @Test
    void aRefusedRecipientLeavesNoTraceOfItsAddressInTheProbe() {
        smtp.rcptReplies.put(ANN, 550);
        smtp.rcptReplyTexts.put(ANN, ECHOING_REPLY);

        assertThatThrownBy(() -> mail.send(to(ANN))).isInstanceOf(MailRejectedException.class);

        Map<String, Object> data = probe(HealthCheckResponse.Status.UP);
        assertThat(data.values()).allSatisfy(value -> assertThat(String.valueOf(value))
                .doesNotContainIgnoringCase("ann.example")
                .doesNotContainIgnoringCase("ann example")
                .doesNotContainIgnoringCase("example, ann")
                .doesNotContain("%40"));
        assertThat(data)
                .containsEntry("smtp.last-failure.kind", "REJECTED")
                .containsEntry("smtp.last-failure.status", 550L)
                .containsEntry("smtp.last-failure.recipients-refused", true)
                .containsKey("smtp.last-failure.reason");
    }

    @Test
    void aGreylistedOnlyRecipientLeavesThePathUpAndTheNextMessageGoesThrough() {
        smtp.rcptReplies.put(ANN, 451);
        smtp.rcptReplyTexts.put(ANN, "4.7.1 <" + ANN + ">: Recipient address rejected: greylisted, try again later");

        assertThatThrownBy(() -> mail.send(to(ANN))).isInstanceOf(MailUnavailableException.class);

        assertThat(probe(HealthCheckResponse.Status.UP))
                .containsEntry("smtp.state", "UP")
                .containsEntry("smtp.last-failure.kind", "UNAVAILABLE")
                .containsEntry("smtp.last-failure.status", 451L)
                .containsEntry("smtp.last-failure.recipients-refused", true);
        assertThat(mail.send(to(BOB)).transport()).isEqualTo("smtp");
    }

    @Test
    void aGreylistedRecipientBesideAcceptedOnesLeavesThePathUp() {
        smtp.rcptReplies.put(ANN, 451);

        SendReceipt receipt = mail.send(to(ANN, BOB));

        assertThat(receipt.accepted()).containsExactly(BOB);
        assertThat(probe(HealthCheckResponse.Status.UP)).containsEntry("smtp.state", "UP");
    }

    @Test
    void aTemporaryRefusalOfTheWholeMessageSpeaksForThePath() {
        smtp.dataReply = 451;

        assertThatThrownBy(() -> mail.send(to(BOB))).isInstanceOf(MailUnavailableException.class);

        assertThat(probe(HealthCheckResponse.Status.DOWN))
                .containsEntry("smtp.state", "DOWN")
                .containsEntry("smtp.last-failure.status", 451L)
                .containsEntry("smtp.last-failure.recipients-refused", false);
    }

    @Test
    void aServerClosingTheConnectionAtRcptSpeaksForThePath() {
        smtp.rcptReplies.put(BOB, 421);

        assertThatThrownBy(() -> mail.send(to(BOB))).isInstanceOf(MailUnavailableException.class);

        assertThat(probe(HealthCheckResponse.Status.DOWN))
                .containsEntry("smtp.state", "DOWN")
                .containsEntry("smtp.last-failure.status", 421L);
    }
}
