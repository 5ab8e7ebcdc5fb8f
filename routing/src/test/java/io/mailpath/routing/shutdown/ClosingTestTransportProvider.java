package io.mailpath.routing.shutdown;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.EnumSet;
import java.util.Set;

/** A transport that sends nothing, for the shutdown tests: what its close does is the subclass's. */
abstract class ClosingTestTransportProvider implements TransportProvider {
    private final String name;
    private final int priority;

    ClosingTestTransportProvider(String name, int priority) {
        this.name = name;
        this.priority = priority;
    }

    /** What each transport's close does. */
    abstract void closing();

    /** Called for each transport built. */
    void created() {}

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
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public final DirectTransport create(TransportConfig config) {
        created();
        return new DirectTransport() {
            @Override
            public String name() {
                return name;
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
                closing();
            }
        };
    }
}
