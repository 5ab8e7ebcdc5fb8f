package io.mailpath.demo;

import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The demo's observer of delivery webhooks, as an application writes one: it keeps the latest events (a bounded
 * number, oldest dropped first) so that the page can show those of the mail it sent.
 */
@ApplicationScoped
public class DeliveryLog {
    private static final int KEEP = 200;

    private final Deque<DeliveryEvent> events = new ConcurrentLinkedDeque<>();

    void onDelivery(@Observes DeliveryEvent event) {
        events.addLast(event);
        while (events.size() > KEEP) {
            events.pollFirst();
        }
    }

    /** The events about one mail ({@code Mail.id()}, {@code SendReceipt.mailId()}), in the order they arrived. */
    public List<DeliveryEvent> of(String mailpathId) {
        return events.stream().filter(e -> mailpathId.equals(e.mailpathId())).toList();
    }

    public void clear() {
        events.clear();
    }
}
