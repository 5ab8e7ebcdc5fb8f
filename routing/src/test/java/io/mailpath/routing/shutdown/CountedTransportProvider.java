package io.mailpath.routing.shutdown;

import java.util.concurrent.atomic.AtomicInteger;

/** A transport, {@value #NAME}, that counts how many of its instances were built and how many were closed. */
public final class CountedTransportProvider extends ClosingTestTransportProvider {
    public static final String NAME = "counted";
    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    public CountedTransportProvider() {
        super(NAME, -8);
    }

    @Override
    void created() {
        CREATED.incrementAndGet();
    }

    @Override
    void closing() {
        CLOSED.incrementAndGet();
    }
}
