package io.mailpath.health.canary;

import io.mailpath.events.CanaryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What an application that alerts on the canary observes: every canary event, in order. */
@ApplicationScoped
public class CanaryEvents {
    private final List<CanaryEvent> seen = new CopyOnWriteArrayList<>();

    void on(@Observes CanaryEvent event) {
        seen.add(event);
    }

    public List<CanaryEvent> seen() {
        return List.copyOf(seen);
    }
}
