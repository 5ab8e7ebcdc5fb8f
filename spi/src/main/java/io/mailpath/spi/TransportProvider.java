package io.mailpath.spi;

import java.util.Set;

/**
 * Makes one kind of transport. Implementations are registered in
 * {@code META-INF/services/io.mailpath.spi.TransportProvider} and found by {@link Transports}.
 */
public interface TransportProvider {
    /** The transport's name, used in configuration keys ({@code mailpath.<name>.*}) and receipts; unique. */
    String name();

    /**
     * Where this transport comes when no order is configured: higher first. A negative priority keeps it out of the
     * default order: it is used only when {@code mailpath.transports} names it (a test double, for instance).
     */
    int priority();

    /** What the transports this provider makes can carry. */
    Set<Capability> capabilities();

    /**
     * Builds a transport from its configuration.
     *
     * @throws io.mailpath.MailConfigurationException naming the key that is missing or invalid
     */
    DirectTransport create(TransportConfig config);
}
