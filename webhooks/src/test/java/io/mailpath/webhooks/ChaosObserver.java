package io.mailpath.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application's observer for the generated scenarios: it fails a planned number of times per event id, hangs once
 * for an id a scenario crashes on (as a server that went down mid-observer), and records each event it returned for.
 */
@ApplicationScoped
public class ChaosObserver {
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> hangs = new ConcurrentHashMap<>();
    private final Set<String> succeeded = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch released = new CountDownLatch(1);

    void onDelivery(@Observes DeliveryEvent event) throws InterruptedException {
        String id = event.eventId();
        CountDownLatch entered = hangs.remove(id);
        if (entered != null) {
            CountDownLatch release = released;
            entered.countDown();
            // Never returns normally: the server is as good as down; the scenario lets the thread go at its end.
            release.await(2, TimeUnit.MINUTES);
            throw new IllegalStateException("server went down while observing " + id);
        }
        // Long enough for a concurrent repeat to arrive while this event is observed.
        Thread.sleep(5);
        AtomicInteger left = failuresLeft.get(id);
        if (left != null && left.getAndDecrement() > 0) {
            throw new IllegalStateException("planned failure for " + id);
        }
        succeeded.add(id);
    }

    /** Starts a scenario: each id fails that many times before its observer succeeds. */
    void reset(Map<String, Integer> failures) {
        releaseHung();
        released = new CountDownLatch(1);
        failuresLeft.clear();
        failures.forEach((id, n) -> failuresLeft.put(id, new AtomicInteger(n)));
        hangs.clear();
        succeeded.clear();
    }

    /** The next call for this id never returns normally; the latch opens when it started. */
    CountDownLatch hangNext(String eventId) {
        CountDownLatch entered = new CountDownLatch(1);
        hangs.put(eventId, entered);
        return entered;
    }

    /** Takes back a {@link #hangNext(String)} no call used; {@code false} when a call took it meanwhile. */
    boolean disarm(String eventId, CountDownLatch entered) {
        return hangs.remove(eventId, entered);
    }

    /** Lets every hung call go (each throws). */
    void releaseHung() {
        released.countDown();
    }

    /** The ids whose observer returned normally at least once. */
    Set<String> succeeded() {
        return succeeded;
    }
}
