package io.mailpath.health.canary;

import io.mailpath.MailConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The container's default managed scheduled executor (Jakarta Concurrency), looked up when the canary starts, that is
 * only when it is configured: an application without a canary needs no Concurrency feature on its server.
 */
@ApplicationScoped
public class ManagedCanaryScheduler implements CanaryScheduler {
    /** The default instance every Jakarta EE server binds. */
    static final String DEFAULT_EXECUTOR = "java:comp/DefaultManagedScheduledExecutorService";

    private final Clock clock = Clock.systemUTC();

    private ScheduledExecutorService executor;

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Scheduled every(Duration period, Runnable task) {
        // A fixed delay, not a fixed rate: a send that takes long never makes canaries pile up behind it.
        var future =
                executor().scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Scheduled after(Duration delay, Runnable task) {
        var future = executor().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** Looked up on the deploying thread first (the canary starts there), where {@code java:comp} is the application's. */
    private synchronized ScheduledExecutorService executor() {
        if (executor == null) {
            try {
                executor = InitialContext.doLookup(DEFAULT_EXECUTOR);
            } catch (NamingException e) {
                throw new MailConfigurationException("The canary (" + CanarySettings.TO + ") needs the server's "
                        + DEFAULT_EXECUTOR + " (Jakarta Concurrency; on Open Liberty the concurrent-3.0 feature): "
                        + e.getMessage());
            }
        }
        return executor;
    }
}
