package io.mailpath.outbox.cdi;

import io.mailpath.outbox.OutboxEntryDied;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What an application would observe: each death of an outbox entry, kept until the test reads it. */
@ApplicationScoped
public class OutboxDeaths {
    private final List<OutboxEntryDied> deaths = new ArrayList<>();

    synchronized void died(@Observes OutboxEntryDied died) {
        deaths.add(died);
        notifyAll();
    }

    /** The first death, waited for on a generous deadline (the relay runs on its own thread). */
    synchronized OutboxEntryDied awaitFirst() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (deaths.isEmpty() && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        if (deaths.isEmpty()) {
            throw new AssertionError("no outbox entry died within 60 s");
        }
        return deaths.get(0);
    }

    synchronized List<OutboxEntryDied> all() {
        return List.copyOf(deaths);
    }
}
