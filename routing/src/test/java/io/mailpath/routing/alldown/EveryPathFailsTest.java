package io.mailpath.routing.alldown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every path fails: the caller gets one exception of the final kind's type that lists every attempt, with the last
 * failure as its cause and the earlier ones suppressed; it is uncertain when any attempt may have delivered.
 */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
class EveryPathFailsTest {
    @Inject
    MailTransport mail;

    @Test
    void oneErrorListsEveryAttemptWithTheLastFailureAsCauseAndEarlierOnesSuppressed() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
        Mailbox.of("memory-backup").failNext(1, SimulatedFailure.authentication());

        assertThatThrownBy(() -> mail.send(Messages.simple()))
                .isInstanceOf(MailAuthenticationException.class)
                .hasMessageContaining("Every transport failed (4 attempts)")
                .satisfies(e -> {
                    MailException f = (MailException) e;
                    assertThat(f.kind()).isEqualTo(FailureKind.AUTHENTICATION);
                    assertThat(f.possibleDuplicate()).isFalse();
                    assertThat(f.getCause()).isInstanceOf(MailAuthenticationException.class);
                    assertThat(f.getSuppressed()).hasOnlyElementsOfType(MailUnavailableException.class);
                    assertThat(Arrays.stream(f.getSuppressed()).map(s -> ((MailException) s).transport()))
                            .containsOnly("memory");
                    assertThat(f.attempts())
                            .extracting(a -> a.transport() + ":" + a.failure() + ":" + a.status())
                            .containsExactly(
                                    "memory:UNAVAILABLE:503",
                                    "memory:UNAVAILABLE:503",
                                    "memory:UNAVAILABLE:503",
                                    "memory-backup:AUTHENTICATION:401");
                });
    }

    @Test
    void anUncertainPrimaryThenAFailedBackupIsUncertainNotUndelivered() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());
        Mailbox.of("memory-backup").failNext(2, SimulatedFailure.unavailable());

        assertThatThrownBy(() -> mail.send(Messages.simple()))
                .isInstanceOf(MailUncertainException.class)
                .satisfies(e -> {
                    MailException f = (MailException) e;
                    assertThat(f.kind()).isEqualTo(FailureKind.UNCERTAIN);
                    assertThat(f.possibleDuplicate()).isTrue();
                });
        assertThat(Mailbox.of("memory").messages()).hasSize(1);
    }
}
