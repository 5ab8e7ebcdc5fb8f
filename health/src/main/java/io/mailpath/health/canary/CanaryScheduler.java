package io.mailpath.health.canary;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the canary's work runs, and its clock: the container's managed scheduled executor
 * ({@link ManagedCanaryScheduler}); in tests, a scheduler on a clock the test moves.
 */
public interface CanaryScheduler {
    /** The time now. */
    Instant now();

    /** Runs the task every period, the first time one period from now. */
    Scheduled every(Duration period, Runnable task);

    /** Runs the task once, after the delay. */
    Scheduled after(Duration delay, Runnable task);

    /** A scheduled task. */
    interface Scheduled {
        /** Stops it, if it has not run yet (a periodic one: runs no more). */
        void cancel();
    }
}
