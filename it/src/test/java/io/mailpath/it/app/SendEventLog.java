package io.mailpath.it.app;

import io.mailpath.events.CanaryEvent;
import io.mailpath.events.MailEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An application's observer of Mailpath's send events and of its canary's events: which events each mail id got, by
 * kind of observer.
 */
@ApplicationScoped
public class SendEventLog {
    private final Map<String, List<String>> sync = new ConcurrentHashMap<>();
    private final Map<String, List<String>> async = new ConcurrentHashMap<>();

    void onEvent(@Observes MailEvent e) {
        record(sync, e.mailId(), e);
    }

    void onEventAsync(@ObservesAsync MailEvent e) {
        record(async, e.mailId(), e);
    }

    void onCanary(@Observes CanaryEvent e) {
        record(sync, e.mailId(), e);
    }

    void onCanaryAsync(@ObservesAsync CanaryEvent e) {
        record(async, e.mailId(), e);
    }

    /** The names of the events observed synchronously for one mail id, in order. */
    public List<String> observed(String mailId) {
        return List.copyOf(sync.getOrDefault(mailId, List.of()));
    }

    /** The names of the events observed asynchronously for one mail id (in no particular order). */
    public List<String> observedAsync(String mailId) {
        return List.copyOf(async.getOrDefault(mailId, List.of()));
    }

    private static void record(Map<String, List<String>> log, String mailId, Object e) {
        log.computeIfAbsent(mailId, id -> new CopyOnWriteArrayList<>())
                .add(e.getClass().getSimpleName());
    }
}
