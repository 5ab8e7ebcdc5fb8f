package io.mailpath.health.canary;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The canary's scheduler on a clock that stands still at {@code 2026-11-22T12:00:00Z} until the test moves it; moving
 * it runs every task that falls due, in time order, on the test's thread. Nothing waits for wall-clock time.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VirtualTimeScheduler implements CanaryScheduler {
    static final Instant START = Instant.parse("2026-11-22T12:00:00Z");

    private Instant now = START;

    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Scheduled {
        private Instant due;
        private final Duration period; // null: once
        private final Runnable work;
        private boolean cancelled;

        Task(Instant due, Duration period, Runnable work) {
            this.due = due;
            this.period = period;
            this.work = work;
        }

        @Override
        public void cancel() {
            synchronized (VirtualTimeScheduler.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Scheduled every(Duration period, Runnable work) {
        return add(new Task(now.plus(period), period, work));
    }

    @Override
    public synchronized Scheduled after(Duration delay, Runnable work) {
        return add(new Task(now.plus(delay), null, work));
    }

    private Task add(Task task) {
        tasks.add(task);
        return task;
    }

    /** Moves the clock forward, running each task as its time comes. */
    public void advance(Duration by) {
        Instant until;
        synchronized (this) {
            until = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                Optional<Task> due =
                        tasks.stream().filter(t -> !t.due.isAfter(until)).min(Comparator.comparing(t -> t.due));
                if (due.isEmpty()) {
                    now = until;
                    return;
                }
                next = due.get();
                now = next.due;
                if (next.period == null) {
                    tasks.remove(next);
                } else {
                    next.due = next.due.plus(next.period);
                }
            }
            // Outside the lock, as an executor's thread would run it: the task schedules and cancels others.
            if (!next.cancelled) {
                next.work.run();
            }
        }
    }

    /** The periods of the periodic tasks scheduled. */
    public synchronized List<Duration> periods() {
        return tasks.stream().filter(t -> t.period != null).map(t -> t.period).toList();
    }
}
