package io.mailpath.it.webhooks;

import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test application's observers of delivery events, as an application writes them: they keep what they get. The
 * synchronous one fails the first time it sees an event for {@value #FAILS_ONCE}, as an observer whose database is
 * briefly down would.
 */
@ApplicationScoped
public class DeliveryEventLog {
    public static final String FAILS_ONCE = "fails-once@example.org";

    private final List<DeliveryEvent> observed = new CopyOnWriteArrayList<>();
    private final List<DeliveryEvent> observedAsync = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    void onDelivery(@Observes DeliveryEvent event) {
        if (FAILS_ONCE.equals(event.recipient()) && failedOnce.add(event.eventId())) {
            throw new IllegalStateException("the application could not store event " + event.eventId());
        }
        observed.add(event);
    }

    void onDeliveryAsync(@ObservesAsync DeliveryEvent event) {
        observedAsync.add(event);
    }

    public List<DeliveryEvent> observed() {
        return observed;
    }

    public List<DeliveryEvent> observedAsync() {
        return observedAsync;
    }

    public void clear() {
        observed.clear();
        observedAsync.clear();
    }
}
