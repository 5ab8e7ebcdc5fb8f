package io.mailpath.webhooks;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires a batch's events as CDI events, each once: an event whose id was already delivered is dropped, and the id of
 * an event whose observer threw is forgotten so that Mailtarget's next attempt delivers it again.
 *
 * <p>The bean manager is looked up when the first batch arrives, not when the application starts: the servlet
 * container initializer that creates this runs before CDI is ready on some servers.
 */
final class EventDispatcher {
    private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());

    /** What became of a batch's events. */
    record Outcome(int delivered, int duplicates, int failed) {}

    private final int dedupeWindow;
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
        int failed = 0;
        for (DeliveryEvent e : batch.events()) {
            String id = e.eventId();
            if (id != null && !ids.add(id)) {
                duplicates++;
                LOG.fine(() -> "Mailpath webhooks: dropped event " + id + ", already delivered");
                continue;
            }
            try {
                event.fire(e);
                delivered.add(e);
            } catch (RuntimeException observerFailed) {
                failed++;
                if (id != null) {
                    ids.remove(id);
                }
                // The observer's exception is the application's: its type here, its message and trace at FINE only,
                // since they may quote the event.
                LOG.warning("Mailpath webhooks: an observer of event " + id + " threw "
                        + observerFailed.getClass().getName() + "; the batch is answered 500 so that Mailtarget"
                        + " sends it again");
                LOG.log(Level.FINE, "Mailpath webhooks: observer failure for event " + id, observerFailed);
            }
        }
        for (DeliveryEvent e : delivered) {
            event.fireAsync(e).exceptionally(asyncFailed -> {
                LOG.warning("Mailpath webhooks: an asynchronous observer of event " + e.eventId() + " threw "
                        + asyncFailed.getClass().getName());
                return e;
            });
        }
        return new Outcome(delivered.size(), duplicates, failed);
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
