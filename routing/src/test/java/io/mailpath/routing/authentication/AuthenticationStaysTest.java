package io.mailpath.routing.authentication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailTransport;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Refused credentials are not retried and, by default, not failed over: the same key serves both paths. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class AuthenticationStaysTest {
    @Inject
    MailTransport mail;

    @Test
    void theCallerGetsTheAuthenticationFailure() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.authentication());

        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailAuthenticationException.class);
        assertThat(Mailbox.of("memory").deliveriesTried()).isEqualTo(1);
        assertThat(Mailbox.of("memory-backup").deliveriesTried()).isZero();
    }
}
