package io.mailpath.transport.api;

import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where the transmissions of a message sent in parts (one per recipient) run, at most {@code concurrency} of them at
 * once for the whole transport. In a Jakarta EE container: on the container's default managed executor (Jakarta
 * Concurrency), whose threads the container sizes, monitors and stops, and which carry the application's context.
 * Elsewhere (Java SE, or a server without Jakarta Concurrency): on daemon threads of the transport's own, created on
 * first use and stopped by {@link #close()}.
 *
 * <p>The managed executor is looked up once, on the thread of the first message sent in parts: in a container that is
 * an application's thread (a request, a managed task), where {@code java:comp} is the application's. The transport
 * itself may have been built earlier, while the application was deployed, when some servers have not bound
 * {@code java:comp} yet.
 */
final class FanOutExecutor implements Executor, AutoCloseable {
    /** The default managed executor every Jakarta EE server binds (Jakarta Concurrency). */
    static final String DEFAULT_MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";

    private static final Logger LOG = Logger.getLogger(FanOutExecutor.class.getName());

    private final int concurrency;
    private final Supplier<Optional<Executor>> container;
    /** Guards {@link #chosen} and {@link #own}. */
    private final Object lock = new Object();

    private Executor chosen;
    private ExecutorService own;
    private boolean closed;

    /** Looks the container's executor up in JNDI. */
    FanOutExecutor(int concurrency) {
        this(concurrency, FanOutExecutor::lookUpManagedExecutor);
    }

    /**
     * @param container the container's executor, or empty outside a container; asked once
     */
    FanOutExecutor(int concurrency, Supplier<Optional<Executor>> container) {
        this.concurrency = concurrency;
        this.container = container;
    }

    @Override
    public void execute(Runnable task) {
        chosen().execute(task);
    }

    private Executor chosen() {
        synchronized (lock) {
            if (closed) {
                throw new RejectedExecutionException("The API transport is closed");
            }
            if (chosen == null) {
                Optional<Executor> managed = container.get();
                if (managed.isPresent()) {
                    chosen = new Limited(managed.get(), concurrency);
                    LOG.fine(() -> "Per-recipient transmissions run on " + DEFAULT_MANAGED_EXECUTOR + ", " + concurrency
                            + " at most at once");
                } else {
                    AtomicInteger n = new AtomicInteger();
                    own = Executors.newFixedThreadPool(concurrency, r -> {
                        Thread thread = new Thread(r, "mailpath-api-fan-out-" + n.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                    chosen = own;
                    LOG.fine(() -> "Per-recipient transmissions run on " + concurrency + " threads of the transport's"
                            + " own (no " + DEFAULT_MANAGED_EXECUTOR + ")");
                }
            }
            return chosen;
        }
    }

    /** Stops the transport's own threads, if it started them; the container's executor is the container's to stop. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (own != null) {
                own.shutdown();
            }
        }
    }

    /** The container's default managed executor, or empty where there is none (Java SE, no Jakarta Concurrency). */
    static Optional<Executor> lookUpManagedExecutor() {
        try {
            Object found = InitialContext.doLookup(DEFAULT_MANAGED_EXECUTOR);
            return found instanceof Executor executor ? Optional.of(executor) : Optional.empty();
        } catch (NamingException | RuntimeException e) {
            LOG.fine(() -> DEFAULT_MANAGED_EXECUTOR + " cannot be looked up: " + e);
            return Optional.empty();
        }
    }

    /**
     * Runs at most {@code limit} tasks at once on a shared executor; the others wait here, in order, rather than take
     * the container's threads from the application.
     */
    static final class Limited implements Executor {
        private final Executor delegate;
        private final int limit;
        private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicInteger running = new AtomicInteger();

        Limited(Executor delegate, int limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public void execute(Runnable task) {
            waiting.add(task);
            startWaiting();
        }

        /** Starts waiting tasks while fewer than the limit run; a task that ends starts the next. */
        private void startWaiting() {
            while (!waiting.isEmpty()) {
                int now = running.get();
                if (now >= limit) {
                    return;
                }
                if (!running.compareAndSet(now, now + 1)) {
                    continue;
                }
                Runnable next = waiting.poll();
                if (next == null) {
                    running.decrementAndGet();
                    continue;
                }
                try {
                    delegate.execute(() -> {
                        try {
                            next.run();
                        } finally {
                            running.decrementAndGet();
                            startWaiting();
                        }
                    });
                } catch (RuntimeException e) {
                    // The container is stopping its executor, or failed to take the task: it runs here rather than
                    // never, and its place is free again.
                    running.decrementAndGet();
                    next.run();
                }
            }
        }
    }
}
