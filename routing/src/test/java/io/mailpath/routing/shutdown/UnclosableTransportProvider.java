package io.mailpath.routing.shutdown;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * A transport, {@value #NAME}, whose close throws a {@link NoClassDefFoundError}: what a transport's close does when
 * the server has already stopped the application's class loader (Payara Micro 7, after a failed deployment).
 */
public final class UnclosableTransportProvider implements TransportProvider {
    public static final String NAME = "unclosable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -7;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public DirectTransport create(TransportConfig config) {
        return new DirectTransport() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.allOf(Capability.class);
            }

            @Override
            public SendReceipt send(Mail mail) {
                throw new UnsupportedOperationException("sends nothing");
            }

            @Override
            public void close() {
                throw new NoClassDefFoundError("io/mailpath/transport/Closing");
            }
        };
    }
}
