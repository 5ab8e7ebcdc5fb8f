package io.mailpath.transport.api;

import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.config.KeyGroup;
import java.util.EnumSet;
import java.util.Set;

/** Registers the Mailtarget API transport under the name {@value #NAME}. */
public final class ApiTransportProvider implements TransportProvider {
    /** The transport's name in configuration keys and receipts. */
    public static final String NAME = "api";
    /** Priority: before SMTP. */
    public static final int PRIORITY = 200;

    /** The API transport's keys ({@code mailpath.api.*}), for the configuration reference. */
    public static final KeyGroup KEYS = ApiSettings.KEYS;
    /** Everything a message can carry: the API renders templates and carries every field. */
    private static final Set<Capability> CAPABILITIES = EnumSet.allOf(Capability.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public DirectTransport create(TransportConfig config) {
        return new ApiTransport(this, config);
    }
}
