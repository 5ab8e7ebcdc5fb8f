package io.mailpath.telemetry;

import io.mailpath.Delivery;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The transport {@code pooled}: accepts every message and reports the pool figures a test sets, as the SMTP transport
 * reports its pool's.
 */
public class PooledTransportProvider implements TransportProvider {
    static volatile ConnectionPoolState pool = new ConnectionPoolState(4, 0, 0, 0);

    @Override
    public String name() {
        return "pooled";
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public DirectTransport create(TransportConfig config) {
        return new DirectTransport() {
            @Override
            public String name() {
                return "pooled";
            }

            @Override
            public Set<Capability> capabilities() {
                return PooledTransportProvider.this.capabilities();
            }

            @Override
            public SendReceipt send(Mail mail) {
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
            public Optional<ConnectionPoolState> connectionPool() {
                return Optional.of(pool);
            }

            @Override
            public void close() {}
        };
    }
}
