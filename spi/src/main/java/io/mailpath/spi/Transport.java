package io.mailpath.spi;

import io.mailpath.MailTransport;
import java.util.Set;

/** A transport built by a {@link TransportProvider}: it sends, and releases its connections when closed. */
public interface Transport extends MailTransport, AutoCloseable {
    /** The provider's name, which receipts and errors carry. */
    String name();

    /** What this transport can carry. */
    Set<Capability> capabilities();

    /** Releases connections and threads; the transport sends no more. */
    @Override
    void close();
}
