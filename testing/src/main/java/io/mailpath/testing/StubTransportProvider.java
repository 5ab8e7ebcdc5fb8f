package io.mailpath.testing;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A transport whose every send is answered by the subclass, for what the in-memory transports cannot stand in for: a
 * transport that throws what no transport should, or one that reports figures the test sets. It carries everything a
 * message can hold and needs no configuration. Like an in-memory transport, it gets a negative priority (used only
 * where {@code mailpath.transports} names it) and is registered in
 * {@code META-INF/services/io.mailpath.spi.TransportProvider}.
 *
 * <pre>
 * public class BrokenTransportProvider extends StubTransportProvider {
 *     public BrokenTransportProvider() {
 *         super("broken", -5);
 *     }
 *
 *     &#64;Override
 *     protected SendReceipt send(Mail mail) {
 *         throw new NoClassDefFoundError("javax/activation/DataContentHandler");
 *     }
 * }
 * </pre>
 */
public abstract class StubTransportProvider extends KitTransportProvider {
    /**
     * A transport of this name.
     *
     * @param name its name, in {@code mailpath.transports} and receipts
     * @param priority negative, so that it is used only when {@code mailpath.transports} names it
     */
    protected StubTransportProvider(String name, int priority) {
        super(name, priority, EnumSet.allOf(Capability.class));
    }

    /**
     * Answers one send of the transport, on the sending thread.
     *
     * @param mail the message sent
     * @return the receipt the transport returns
     */
    protected abstract SendReceipt send(Mail mail);

    /**
     * The figures of the transport's connection pool, read each time they are asked for.
     *
     * @return empty (no pool) unless a subclass says otherwise
     */
    protected Optional<ConnectionPoolState> connectionPool() {
        return Optional.empty();
    }

    @Override
    public final DirectTransport create(TransportConfig config) {
        return new DirectTransport() {
            @Override
            public String name() {
                return StubTransportProvider.this.name();
            }

            @Override
            public Set<Capability> capabilities() {
                return StubTransportProvider.this.capabilities();
            }

            @Override
            public SendReceipt send(Mail mail) {
                return StubTransportProvider.this.send(mail);
            }

            @Override
            public Optional<ConnectionPoolState> connectionPool() {
                return StubTransportProvider.this.connectionPool();
            }

            @Override
            public void close() {
                // Nothing held.
            }

            @Override
            public String toString() {
                return "StubTransport[" + name() + "]";
            }
        };
    }
}
