package io.mailpath.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pool closes while a REST client's close throws an {@link Error} (a class the server's stopped application
 * class loader refuses): every other client, taken or idle, is still closed, and nothing escapes into the transport's
 * close.
 */
class ClientPoolCloseTest {
    /** A client of no connection that counts its closes; the first one built fails to close. */
    private static final class Client implements TransmissionClient, AutoCloseable {
        final boolean failsToClose;
        int closed;

        Client(boolean failsToClose) {
            this.failsToClose = failsToClose;
        }

        @Override
        public Transmission.Result send(String authorization, Transmission transmission) {
            throw new UnsupportedOperationException("sends nothing");
        }

        @Override
        public void close() {
            closed++;
            if (failsToClose) {
                throw new NoClassDefFoundError("org/example/rest/ClientCloser");
            }
        }
    }

    @Test
    void aClientWhoseCloseThrowsAnErrorLeavesNoOtherOpen() {
        List<Client> built = new ArrayList<>();
        ClientPool pool = new ClientPool(
                () -> {
                    Client c = new Client(built.isEmpty());
                    built.add(c);
                    return c;
                },
                4,
                1000);
        // Two in use and two idle: the failing one among those in use, the first the pool closes.
        List<TransmissionClient> taken = List.of(pool.take(), pool.take(), pool.take(), pool.take());
        pool.giveBack(taken.get(2));
        pool.giveBack(taken.get(3));

        assertThatCode(pool::close).doesNotThrowAnyException();

        assertThat(built).hasSize(4).allSatisfy(c -> assertThat(c.closed).isEqualTo(1));
    }
}
