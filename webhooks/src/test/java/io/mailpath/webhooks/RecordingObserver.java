package io.mailpath.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An application's observers: they record what they get; the synchronous one throws for recipients a test names, and
 * waits, once, for a recipient a test holds.
 */
@ApplicationScoped
public class RecordingObserver {
    private final List<DeliveryEvent> observed = new CopyOnWriteArrayList<>();
    private final BlockingQueue<DeliveryEvent> observedLater = new LinkedBlockingQueue<>();
    private final Set<String> failingRecipients = ConcurrentHashMap.newKeySet();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    void onDelivery(@Observes DeliveryEvent event) {
        Hold hold = event.recipient() == null ? null : holds.remove(event.recipient());
        if (hold != null) {
            hold.waitForTheTest();
        }
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

    /** Makes the next call of the synchronous observer for this recipient wait until the test lets it go. */
    Hold holdNext(String recipient) {
        Hold hold = new Hold();
        holds.put(recipient, hold);
        return hold;
    }

    /** An observer call held by a test: it signals when it started, then waits to succeed or throw. */
    static final class Hold {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean fail;

        private void waitForTheTest() {
            entered.countDown();
            try {
                if (!released.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never released the held observer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
            if (fail) {
                throw new IllegalStateException("held observer told to fail");
            }
        }

        /** Waits until the observer runs for the held recipient. */
        void awaitEntered() throws InterruptedException {
            if (!entered.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the observer was not called for the held recipient");
            }
        }

        /** Lets the held observer return normally. */
        void succeed() {
            released.countDown();
        }

        /** Lets the held observer throw, as one that failed (or a server that went down) would. */
        void fail() {
            fail = true;
            released.countDown();
        }
    }
}
