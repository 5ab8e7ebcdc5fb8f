package io.mailpath.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a relay's drains on an executor the caller gives (in a container, the managed one), at most
 * {@code concurrency} at once. Each drain claims its own batches and sends them one by one, so that many sends are in
 * flight while each waits for its answer; a drain goes on while its batches come back full, and each full batch lets
 * one more drain start, up to the limit. Requests made while every drain is busy are not lost: a running drain claims
 * again before it stops.
 *
 * <pre>
 * OutboxDrains drains = new OutboxDrains(relay, executor, 4, settings.batchSize());
 * scheduler.scheduleWithFixedDelay(drains::request, 1, 1, TimeUnit.SECONDS); // and after each commit that enqueued
 * </pre>
 *
 * <p>It opens no threads of its own. Safe for concurrent use.
 */
public final class OutboxDrains {
    private static final Logger LOG = Logger.getLogger(OutboxDrains.class.getName());

    private final OutboxRelay relay;
    private final Executor executor;
    private final int concurrency;
    private final int batchSize;
    private final AtomicInteger running = new AtomicInteger();
    /** Counts requests: a drain that sees it move while it claimed claims once more, for the request it missed. */
    private final AtomicLong requests = new AtomicLong();

    private volatile boolean stopped;

    /**
     * @param concurrency the most drains that run at once (1: one send at a time)
     * @param batchSize the relay's batch size: a batch this full means more entries may be due
     */
    public OutboxDrains(OutboxRelay relay, Executor executor, int concurrency, int batchSize) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (concurrency <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException(
                    "concurrency and batchSize must be positive, not " + concurrency + " and " + batchSize);
        }
        this.concurrency = concurrency;
        this.batchSize = batchSize;
    }

    /**
     * Asks for a drain: one starts on the executor unless {@code concurrency} are running already, in which case one
     * of them claims again before it stops. Never blocks, never throws.
     */
    public void request() {
        requests.incrementAndGet();
        startOne();
    }

    /**
     * No drain starts after this; running ones stop once they have sent the batch they claimed (not waited for: see
     * {@link #awaitIdle(Duration)}). Stop the relay first ({@link OutboxRelay#stop()}) so that a running drain sends
     * nothing more than the message under way and hands back the rest of its batch.
     */
    public void stop() {
        stopped = true;
    }

    /**
     * Waits until no drain runs, or the timeout passes.
     *
     * @return whether no drain runs; false when one was still at work (a send under way) when the timeout passed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (running) {
            for (long left = timeout.toNanos(); running.get() > 0; left = deadline - System.nanoTime()) {
                if (left <= 0) {
                    return false;
                }
                running.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** How many drains run now (each sends at most one message at a time). */
    public int running() {
        return running.get();
    }

    private void startOne() {
        int now;
        do {
            now = running.get();
            if (stopped || now >= concurrency) {
                return;
            }
        } while (!running.compareAndSet(now, now + 1));
        try {
            executor.execute(this::drain);
        } catch (RuntimeException e) {
            // Shutting down (rejected) or broken: the slot is free again, and the next request tries again.
            finished();
            if (!(e instanceof RejectedExecutionException)) {
                LOG.log(
                        Level.WARNING,
                        "The outbox relay could not start a drain; it tries again at the next request",
                        e);
            }
        }
    }

    /** Frees a drain's slot and wakes whoever waits for the drains to end. */
    private void finished() {
        synchronized (running) {
            running.decrementAndGet();
            running.notifyAll();
        }
    }

    /** Claims and sends batches until one comes back short and no request came meanwhile; never throws. */
    private void drain() {
        long seen;
        boolean more;
        try {
            do {
                seen = requests.get();
                // A drain queued on the executor before stop() claims nothing once it runs.
                more = !stopped && relay.drainOnce() == batchSize;
                if (more) {
                    startOne(); // more may be due: another drain takes the next batch beside this one
                }
            } while (!stopped && (more || requests.get() != seen));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The outbox relay could not drain; it tries again at the next request", e);
            return;
        } finally {
            // Also when an Error passes (the executor reports it): a slot lost for good would stop this relay.
            finished();
        }
        // A request that came after the last claim and found every drain busy started none: take it up now.
        if (requests.get() != seen) {
            startOne();
        }
    }
}
