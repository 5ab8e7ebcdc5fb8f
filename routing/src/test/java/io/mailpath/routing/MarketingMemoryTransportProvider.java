package io.mailpath.routing;

import io.mailpath.spi.Capability;
import io.mailpath.testing.MemoryTransportProvider;
import java.util.EnumSet;

/**
 * A third in-memory transport, {@value #NAME}, with a mailbox of its own: a stream sending through it shares no
 * mailbox (and no simulated failure) with the streams on {@code memory} and {@code memory-backup}.
 */
public final class MarketingMemoryTransportProvider extends MemoryTransportProvider {
    public static final String NAME = "memory-marketing";

    public MarketingMemoryTransportProvider() {
        super(NAME, -4, EnumSet.allOf(Capability.class));
    }
}
