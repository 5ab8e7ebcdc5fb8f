package io.mailpath.routing.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailTransport;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A transport fails with an {@link Error} (a class path conflict, a heap too small): the caller of {@code send} gets
 * it, and so does the caller of {@code sendAsync}, whose stage completes with it rather than never.
 */
@MailpathTest(config = "mailpath.transports=memory,broken")
class ErrorInTransportTest {
    @Inject
    MailTransport mail;

    @Test
    void sendThrowsTheError() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());

        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(NoClassDefFoundError.class);
    }

    @Test
    void sendAsyncCompletesWithTheError() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());

        var pending = mail.sendAsync(Messages.simple()).toCompletableFuture();

        // Sixty seconds only bound a stage that never completes; a correct one completes at once.
        assertThatThrownBy(() -> pending.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(NoClassDefFoundError.class);
        assertThat(pending).isCompletedExceptionally();
    }
}
