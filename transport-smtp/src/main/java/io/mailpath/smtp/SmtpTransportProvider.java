package io.mailpath.smtp;

import io.mailpath.spi.Capability;
import io.mailpath.spi.Transport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.Set;

/** Registers the SMTP transport under the name {@value #NAME}. */
public final class SmtpTransportProvider implements TransportProvider {
    /** The transport's name in configuration keys and receipts. */
    public static final String NAME = "smtp";
    /** Priority: after the API transport. */
    public static final int PRIORITY = 100;

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
        return Set.of(
                Capability.METADATA, Capability.PER_RECIPIENT_DATA, Capability.ATTACHMENTS, Capability.CUSTOM_HEADERS);
    }

    @Override
    public Transport create(TransportConfig config) {
        return new SmtpTransport(config);
    }
}
