package io.mailpath.webhooks;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires a batch's events as CDI events. An event is recorded as delivered in the {@link EventIdStore} only after its
 * {@code @Observes} observers returned, so a failure (or a server going down) before that leaves it to Mailtarget's
 * next attempt; an event already recorded is dropped as a repeat. An event this server is delivering right now, for
 * another request, is neither fired again nor counted as a repeat: it is "busy", and the batch is answered with a
 * retryable status, since that other delivery may still fail.
 *
 * <p>A request holds the id of at most one event at a time (the one whose observers it runs), and never waits for
 * another: two requests cannot deadlock over ids, whatever their order in their batches.
 *
 * <p>The bean manager is looked up when the first batch arrives, not when the application starts: the servlet
 * container initializer that creates this runs before CDI is ready on some servers.
 */
final class EventDispatcher {
    private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());

    /**
     * What became of a batch's events.
     *
     * @param delivered fired, and every synchronous observer returned
     * @param duplicates dropped: delivered before
     * @param busy not fired: another request of this server is delivering the same event id right now
     * @param failed an observer threw, or the id store could not be read or written
     */
    record Outcome(int delivered, int duplicates, int busy, int failed) {}

    private final int dedupeWindow;
    /** The ids of the events whose observers this server is running now. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private volatile EventIdStore store;

    EventDispatcher(int dedupeWindow) {
        this.dedupeWindow = dedupeWindow;
    }

    Outcome deliver(WebhookBatch batch) {
        BeanManager beans = CDI.current().getBeanManager();
        EventIdStore ids = store(beans);
        Event<DeliveryEvent> event = beans.getEvent().select(DeliveryEvent.class);
        List<DeliveryEvent> delivered = new ArrayList<>(batch.events().size());
        int duplicates = 0;
        int busy = 0;
        int failed = 0;
        for (DeliveryEvent e : batch.events()) {
            String id = e.eventId();
            if (id == null) {
                // Nothing to recognise a repeat by: delivered every time.
                if (fire(event, e)) {
                    delivered.add(e);
                } else {
                    failed++;
                }
                continue;
            }
            if (!inFlight.add(id)) {
                busy++;
                LOG.fine(() -> "Mailpath webhooks: event " + id + " is being delivered by another request");
                continue;
            }
            try {
                switch (deliverOnce(ids, event, e)) {
                    case DELIVERED -> delivered.add(e);
                    case DUPLICATE -> duplicates++;
                    case FAILED -> failed++;
                }
            } finally {
                // Only once the store knows the outcome: a repeat that gets the id next sees it delivered.
                inFlight.remove(id);
            }
        }
        for (DeliveryEvent e : delivered) {
            event.fireAsync(e).exceptionally(asyncFailed -> {
                LOG.warning("Mailpath webhooks: an asynchronous observer of event " + e.eventId() + " threw "
                        + asyncFailed.getClass().getName());
                return e;
            });
        }
        return new Outcome(delivered.size(), duplicates, busy, failed);
    }

    private enum Result {
        DELIVERED,
        DUPLICATE,
        FAILED
    }

    /** Delivers an event with an id this request holds: unless it was delivered before, fires it, then records it. */
    private static Result deliverOnce(EventIdStore ids, Event<DeliveryEvent> event, DeliveryEvent e) {
        String id = e.eventId();
        try {
            if (ids.isDelivered(id)) {
                LOG.fine(() -> "Mailpath webhooks: dropped event " + id + ", already delivered");
                return Result.DUPLICATE;
            }
        } catch (RuntimeException storeFailed) {
            logStoreFailure(id, storeFailed);
            return Result.FAILED;
        }
        if (!fire(event, e)) {
            return Result.FAILED;
        }
        try {
            ids.markDelivered(id);
        } catch (RuntimeException storeFailed) {
            // The observers ran but nothing says so: Mailtarget's next attempt fires the event again (at least once).
            logStoreFailure(id, storeFailed);
            return Result.FAILED;
        }
        return Result.DELIVERED;
    }

    /** Fires one event to the synchronous observers; {@code false} when one of them threw. */
    private static boolean fire(Event<DeliveryEvent> event, DeliveryEvent e) {
        try {
            event.fire(e);
            return true;
        } catch (RuntimeException observerFailed) {
            // The observer's exception is the application's: its type here, its message and trace at FINE only, since
            // they may quote the event.
            LOG.warning("Mailpath webhooks: an observer of event " + e.eventId() + " threw "
                    + observerFailed.getClass().getName() + "; the batch is answered 500 so that Mailtarget sends it"
                    + " again");
            LOG.log(Level.FINE, "Mailpath webhooks: observer failure for event " + e.eventId(), observerFailed);
            return false;
        }
    }

    private static void logStoreFailure(String id, RuntimeException storeFailed) {
        LOG.log(
                Level.WARNING,
                "Mailpath webhooks: the event id store failed for event " + id + "; the batch is answered 500 so that"
                        + " Mailtarget sends it again",
                storeFailed);
    }

    /** The application's {@link EventIdStore} bean if it has one, otherwise a bounded window in memory. */
    private EventIdStore store(BeanManager beans) {
        EventIdStore s = store;
        if (s == null) {
            synchronized (this) {
                s = store;
                if (s == null) {
                    Instance<EventIdStore> application = beans.createInstance().select(EventIdStore.class);
                    if (application.isAmbiguous()) {
                        throw new IllegalStateException("Mailpath webhooks: the application has more than one"
                                + " EventIdStore bean; keep one");
                    }
                    s = application.isResolvable() ? application.get() : new BoundedEventIdStore(dedupeWindow);
                    LOG.config("Mailpath webhooks: event ids kept by "
                            + s.getClass().getName());
                    store = s;
                }
            }
        }
        return s;
    }
}
