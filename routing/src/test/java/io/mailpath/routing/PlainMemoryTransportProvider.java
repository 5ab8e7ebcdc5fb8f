package io.mailpath.routing;

import io.mailpath.spi.Capability;
import io.mailpath.testing.MemoryTransportProvider;
import java.util.EnumSet;

/**
 * An in-memory transport that, like SMTP, cannot render templates or apply tracking options: {@value #NAME}. Shows how
 * a test adds its own in-memory transport (registered in this module's test {@code META-INF/services}).
 */
public final class PlainMemoryTransportProvider extends MemoryTransportProvider {
    public static final String NAME = "memory-plain";

    public PlainMemoryTransportProvider() {
        super(NAME, -3, EnumSet.complementOf(EnumSet.of(Capability.TEMPLATES, Capability.TRACKING_OPTIONS)));
    }
}
