package io.mailpath.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import jakarta.mail.AuthenticationFailedException;
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
}
