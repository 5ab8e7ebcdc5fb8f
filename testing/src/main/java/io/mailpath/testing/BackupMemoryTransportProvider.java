package io.mailpath.testing;

import io.mailpath.spi.Capability;
import java.util.EnumSet;

/**
 * A second in-memory transport, {@value #NAME}, so that a test can fail over from one to the other
 * ({@code mailpath.transports=memory,memory-backup}). Like {@value MemoryTransportProvider#NAME}, it carries
 * everything.
 */
public final class BackupMemoryTransportProvider extends MemoryTransportProvider {
    /** The transport's name. */
    public static final String NAME = "memory-backup";

    public BackupMemoryTransportProvider() {
        super(NAME, -2, EnumSet.allOf(Capability.class));
    }
}
