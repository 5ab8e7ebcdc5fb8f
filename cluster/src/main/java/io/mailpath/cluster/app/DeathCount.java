package io.mailpath.cluster.app;

import io.mailpath.outbox.OutboxEntryDied;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the outbox's {@link OutboxEntryDied} events on this server, as an application that alerts on them would. */
@ApplicationScoped
public class DeathCount {
    private final AtomicInteger deaths = new AtomicInteger();

    void died(@Observes OutboxEntryDied died) {
        deaths.incrementAndGet();
    }

    public int value() {
        return deaths.get();
    }
}
