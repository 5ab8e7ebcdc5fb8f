package io.mailpath.routing;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How many {@code sendAsync} sends of one stream run at once. Every stream's asynchronous sends share the container's
 * one Fault Tolerance {@code @Asynchronous} pool; without a lane, a stream whose sends wait (a {@code Retry-After}, a
 * stalled peer) would hold the pool's threads and queue the other streams' mail behind its own. A lane lets at most
 * {@code limit} of its stream's sends onto the pool; the rest wait in the lane, on no thread, and start as earlier
 * ones end, in order.
 */
final class AsyncLane {
    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;
    /** Whether a thread is starting waiting sends now. */
    private boolean starting;

    /** A lane of at most {@code limit} sends at once; 0 lets every send through at once (no lane). */
    AsyncLane(int limit) {
        this.limit = limit;
    }

    /** Starts the send now when the lane has room, else when it has; the stage completes as the send does. */
    <T> CompletionStage<T> submit(Supplier<CompletionStage<T>> send) {
        if (limit == 0) {
            return start(send);
        }
        CompletableFuture<T> outcome = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(() -> start(send).whenComplete((value, failure) -> {
                synchronized (this) {
                    running--;
                }
                startWaiting();
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                } else {
                    outcome.complete(value);
                }
            }));
        }
        startWaiting();
        return outcome;
    }

    /** How many of this lane's sends are waiting for room. */
    synchronized int waiting() {
        return waiting.size();
    }

    /**
     * Starts waiting sends while there is room. One thread at a time does it, looping until no room or no send is left;
     * a send that ends at once (a refusal) frees its room for that same loop rather than starting a nested one.
     */
    private void startWaiting() {
        synchronized (this) {
            if (starting) {
                return;
            }
            starting = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                if (running >= limit || waiting.isEmpty()) {
                    starting = false;
                    return;
                }
                running++;
                next = waiting.poll();
            }
            next.run();
        }
    }

    private static <T> CompletionStage<T> start(Supplier<CompletionStage<T>> send) {
        try {
            return send.get();
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
