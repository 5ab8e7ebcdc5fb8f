package io.mailpath.mailtarget;

import io.mailpath.spi.Capability;
import io.mailpath.spi.Transport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.Set;

/** Registers the Mailtarget API transport under the name {@value #NAME}. */
public final class ApiTransportProvider implements TransportProvider {
    /** The transport's name in configuration keys and receipts. */
    public static final String NAME = "api";
    /** Priority: before SMTP. */
    public static final int PRIORITY = 200;

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
        return ApiTransport.CAPABILITIES;
    }

    @Override
    public Transport create(TransportConfig config) {
        return new ApiTransport(config);
    }
}
