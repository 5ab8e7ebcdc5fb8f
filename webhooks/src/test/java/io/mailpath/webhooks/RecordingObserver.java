package io.mailpath.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** An application's observers: they record what they get; the synchronous one throws for recipients a test names. */
@ApplicationScoped
public class RecordingObserver {
    private final List<DeliveryEvent> observed = new CopyOnWriteArrayList<>();
    private final BlockingQueue<DeliveryEvent> observedLater = new LinkedBlockingQueue<>();
    private final Set<String> failingRecipients = ConcurrentHashMap.newKeySet();

    void onDelivery(@Observes DeliveryEvent event) {
        if (failingRecipients.contains(event.recipient())) {
            throw new IllegalStateException("observer failed for " + event.recipient());
        }
        observed.add(event);
    }

    void onDeliveryLater(@ObservesAsync DeliveryEvent event) {
        observedLater.add(event);
    }

    List<DeliveryEvent> observed() {
        return observed;
    }

    BlockingQueue<DeliveryEvent> observedLater() {
        return observedLater;
    }

    Set<String> failingRecipients() {
        return failingRecipients;
    }
}
