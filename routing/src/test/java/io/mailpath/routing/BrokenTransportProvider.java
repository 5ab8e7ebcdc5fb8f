package io.mailpath.routing;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A transport, {@value #NAME}, whose every send fails with an {@link Error}, not an exception: what a class path
 * conflict (a {@link NoClassDefFoundError}) or a heap too small for the message ({@link OutOfMemoryError}) does to
 * a real transport.
 */
public final class BrokenTransportProvider implements TransportProvider {
    public static final String NAME = "broken";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -5;
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
                throw new NoClassDefFoundError("javax/activation/DataContentHandler");
            }

            @Override
            public CompletionStage<SendReceipt> sendAsync(Mail mail) {
                return CompletableFuture.supplyAsync(() -> send(mail));
            }

            @Override
            public void close() {}
        };
    }
}
