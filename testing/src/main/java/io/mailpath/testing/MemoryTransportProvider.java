package io.mailpath.testing;

import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The in-memory transport {@value #NAME}: it records every message in {@link Mailbox#of Mailbox.of("memory")} and fails
 * as a test tells it. It needs no configuration. It carries everything a message can hold (templates included), so it
 * stands in for the API transport; a test that needs another in-memory transport, or one with fewer capabilities
 * (to stand in for SMTP), subclasses this provider with its own name and registers it in
 * {@code META-INF/services/io.mailpath.spi.TransportProvider}.
 *
 * <p>Its priority is negative: it is used only where {@code mailpath.transports} names it, never by default, so that
 * a kit jar left on a class path never takes mail.
 */
public class MemoryTransportProvider extends KitTransportProvider {
    /** The transport's name. */
    public static final String NAME = "memory";

    /**
     * The one key an in-memory transport reads ({@code mailpath.<name>.request-timeout-ms}): the timeouts a real
     * transport would have, which the router checks its Fault Tolerance timeouts against at deployment.
     */
    public static final String REQUEST_TIMEOUT_MS = "request-timeout-ms";

    /** The {@value #NAME} transport. */
    public MemoryTransportProvider() {
        this(NAME, -1, EnumSet.allOf(Capability.class));
    }

    /**
     * Another in-memory transport.
     *
     * @param name its name, in {@code mailpath.transports} and receipts; its mailbox is {@code Mailbox.of(name)}
     * @param priority negative, so that it is used only when {@code mailpath.transports} names it
     * @param capabilities what it carries
     */
    protected MemoryTransportProvider(String name, int priority, Set<Capability> capabilities) {
        super(name, priority, capabilities);
    }

    @Override
    public final DirectTransport create(TransportConfig config) {
        return new MemoryTransport(
                this, config.get(REQUEST_TIMEOUT_MS, Long.class).map(Duration::ofMillis));
    }
}
