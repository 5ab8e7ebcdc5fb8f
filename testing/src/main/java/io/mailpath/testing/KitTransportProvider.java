package io.mailpath.testing;

import io.mailpath.spi.Capability;
import io.mailpath.spi.TransportProvider;
import java.util.Set;

/** A transport provider of the kit: its name, priority and capabilities are fixed when it is made. */
abstract class KitTransportProvider implements TransportProvider {
    private final String name;
    private final int priority;
    private final Set<Capability> capabilities;

    KitTransportProvider(String name, int priority, Set<Capability> capabilities) {
        this.name = name;
        this.priority = priority;
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }
}
