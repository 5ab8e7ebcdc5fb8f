package io.mailpath.spi;

import io.mailpath.MailTransport;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One transport used directly, without failover: what a {@link TransportProvider} builds, and what
 * {@code @Inject @TransportName("smtp") MailTransport} and {@link Transports#create} give. It sends, and releases its
 * connections when closed. Extend {@link AbstractTransport} rather than implementing this from scratch.
 */
public interface DirectTransport extends MailTransport, AutoCloseable {
    /** The provider's name, which receipts and errors carry. */
    String name();

    /** What this transport can carry: its provider's {@link TransportProvider#capabilities()}. */
    Set<Capability> capabilities();

    /**
     * The longest one request can take by this transport's own timeouts (for example connect + read + write), when
     * they bound it. The router checks at deployment that its Fault Tolerance timeout is longer, so that the transport
     * reports how an attempt ended (by protocol phase) before Fault Tolerance gives up on it.
     */
    default Optional<Duration> requestTimeout() {
        return Optional.empty();
    }

    /** Its connection pool's figures now, for transports that keep one (SMTP); empty for the others. */
    default Optional<ConnectionPoolState> connectionPool() {
        return Optional.empty();
    }

    /** Releases connections and threads; the transport sends no more. */
    @Override
    void close();
}
