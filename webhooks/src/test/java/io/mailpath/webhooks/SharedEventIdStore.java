package io.mailpath.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An application's own {@link EventIdStore}, standing for a store that several servers share. */
@ApplicationScoped
public class SharedEventIdStore implements EventIdStore {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    @Override
    public boolean isDelivered(String eventId) {
        return ids.contains(eventId);
    }

    @Override
    public void markDelivered(String eventId) {
        ids.add(eventId);
    }

    Set<String> ids() {
        return ids;
    }
}
