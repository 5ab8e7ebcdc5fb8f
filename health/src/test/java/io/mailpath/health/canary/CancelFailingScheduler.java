package io.mailpath.health.canary;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The virtual-time scheduler, but cancelling a periodic task throws a {@link NoClassDefFoundError} once it has
 * stopped it: what a server whose application class loader is already stopped does to the first class a shutdown
 * needs. It counts the one-off tasks (the canaries' delivery windows) scheduled and cancelled.
 */
@Alternative
@Priority(2)
@ApplicationScoped
public class CancelFailingScheduler extends VirtualTimeScheduler {
    static final AtomicInteger WINDOWS = new AtomicInteger();
    static final AtomicInteger WINDOWS_CANCELLED = new AtomicInteger();

    @Override
    public synchronized Scheduled every(Duration period, Runnable work) {
        Scheduled task = super.every(period, work);
        return () -> {
            task.cancel();
            throw new NoClassDefFoundError("io/mailpath/health/canary/Stopped");
        };
    }

    @Override
    public synchronized Scheduled after(Duration delay, Runnable work) {
        Scheduled task = super.after(delay, work);
        WINDOWS.incrementAndGet();
        return () -> {
            task.cancel();
            WINDOWS_CANCELLED.incrementAndGet();
        };
    }
}
