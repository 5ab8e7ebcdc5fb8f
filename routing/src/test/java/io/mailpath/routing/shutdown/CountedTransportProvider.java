package io.mailpath.routing.shutdown;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A transport, {@value #NAME}, that counts how many of its instances were built and how many were closed. */
public final class CountedTransportProvider implements TransportProvider {
    public static final String NAME = "counted";
    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -8;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public DirectTransport create(TransportConfig config) {
        CREATED.incrementAndGet();
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
                CLOSED.incrementAndGet();
            }
        };
    }
}
