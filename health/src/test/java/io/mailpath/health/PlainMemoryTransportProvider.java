package io.mailpath.health;

import io.mailpath.spi.Capability;
import io.mailpath.testing.MemoryTransportProvider;
import java.util.EnumSet;

/** An in-memory transport that, like SMTP, cannot render templates: {@value #NAME}. */
public final class PlainMemoryTransportProvider extends MemoryTransportProvider {
    public static final String NAME = "memory-plain";

    public PlainMemoryTransportProvider() {
        super(NAME, -3, EnumSet.complementOf(EnumSet.of(Capability.TEMPLATES)));
    }
}
