package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.MailException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

/** How a refused AUTH is classified: Angus reports every refusal as AuthenticationFailedException. */
class SmtpFailuresTest {
    @Test
    void aTemporaryAuthFailureIsUnavailableNotWrongCredentials() {
        var e = SmtpFailures.classify(
                new AuthenticationFailedException("454 4.7.0 Temporary authentication failure"), "relay:587");
        assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.status()).isEqualTo(454);
    }

    @Test
    void aRefusedPasswordIsAnAuthenticationFailure() {
        var e = SmtpFailures.classify(
                new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid"), "relay:587");
        assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(e.status()).isEqualTo(535);
    }

    @Test
    void aConnectionLostDuringAuthIsUnavailableNotWrongCredentials() {
        // Angus reports end of stream during AUTH as a refusal whose message is "[EOF]".
        var e = SmtpFailures.classify(new AuthenticationFailedException("[EOF]"), "relay:587");
        assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
    }

    @Test
    void noReplyCodeIsClassifiedByPhaseAndNeverGivenACode() {
        var eof = new MessagingException("[EOF]");
        var before = SmtpFailures.classifySend(eof, "relay:587", SmtpFailures.Phase.REQUEST);
        assertThat(before.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(before.status()).isEqualTo(MailException.NO_STATUS);
        var after = SmtpFailures.classifySend(eof, "relay:587", SmtpFailures.Phase.AWAITING_REPLY);
        assertThat(after.kind()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(after.status()).isEqualTo(MailException.NO_STATUS);
    }
}
