package io.mailpath.webhooks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The default {@link EventIdStore}: the most recent ids, in memory, the oldest forgotten first. */
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
    public synchronized boolean add(String eventId) {
        return ids.putIfAbsent(eventId, Boolean.TRUE) == null;
    }

    @Override
    public synchronized void remove(String eventId) {
        ids.remove(eventId);
    }

    synchronized int size() {
        return ids.size();
    }
}
