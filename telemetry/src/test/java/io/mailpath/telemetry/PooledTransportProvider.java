package io.mailpath.telemetry;

import io.mailpath.Delivery;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.testing.StubTransportProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The transport {@code pooled}: accepts every message and reports the pool figures a test sets, as the SMTP transport
 * reports its pool's.
 */
public class PooledTransportProvider extends StubTransportProvider {
    static volatile ConnectionPoolState pool = new ConnectionPoolState(4, 0, 0, 0);

    public PooledTransportProvider() {
        super("pooled", -1);
    }

    @Override
    protected SendReceipt send(Mail mail) {
        List<String> to = mail.to().stream().map(a -> a.email()).toList();
        return SendReceipt.delivered(
                "pooled",
                mail.id(),
                List.of(new Delivery(to, null, "<" + mail.id() + "@pooled>")),
                List.of(),
                250,
                Duration.ofMillis(3));
    }

    @Override
    protected Optional<ConnectionPoolState> connectionPool() {
        return Optional.of(pool);
    }
}
