package io.mailpath.webhooks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The default {@link EventIdStore}: the most recent delivered ids, in memory, the oldest forgotten first. */
final class BoundedEventIdStore implements EventIdStore {
    private final Map<String, Boolean> ids;

    BoundedEventIdStore(int capacity) {
        this.ids = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized boolean isDelivered(String eventId) {
        return ids.containsKey(eventId);
    }

    @Override
    public synchronized void markDelivered(String eventId) {
        ids.putIfAbsent(eventId, Boolean.TRUE);
    }

    synchronized int size() {
        return ids.size();
    }
}
