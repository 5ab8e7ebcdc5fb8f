package io.mailpath.transport.smtp;

import io.mailpath.MailException;
import io.mailpath.MailUnavailableException;
import io.mailpath.spi.ConnectionPoolState;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bounded pool of connected SMTP transports. A connection is reused for up to {@code maxMessages} messages, closed
 * once idle longer than {@code maxIdleMs}, and retired once older than its lifetime: {@code maxLifetimeMs} less a
 * random jitter of up to {@value #LIFETIME_JITTER_PERCENT}%, so that connections opened together do not all reconnect
 * together. A connection logs in once, so its lifetime bounds how long a rotated password takes to apply. An expired
 * connection is closed when it is next given back or next taken, never while it sends. A caller waits at most
 * {@code acquireTimeoutMs} for a free one. A connection is checked with a round trip (RSET) before reuse only when it
 * was idle longer than {@code validateAfterIdleMs}: a connection in steady use is not, and one that died soon after its
 * last message is found out by the next send, which retries it on a new connection (see {@link SmtpTransport}). A
 * retired or failed connection is closed in the background, never on the caller's thread, and never reused. Safe for
 * concurrent use.
 */
final class SmtpConnectionPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SmtpConnectionPool.class.getName());

    /** The largest share of {@code maxLifetimeMs} taken off a connection's lifetime at random: {@value}%. */
    static final int LIFETIME_JITTER_PERCENT = 10;

    /** The most threads that close connections at once, for every pool in the application: {@value}. */
    static final int CLOSING_THREADS = 2;

    /** How many closing threads were ever started; a test reads it. */
    private static final AtomicInteger CLOSING_THREADS_STARTED = new AtomicInteger();

    /**
     * Closes retired connections for every pool: QUIT may wait for a reply (a container's session may set
     * {@code mail.smtp.quitwait}), and a stalled server must not hold up the sender whose message was already sent.
     * Its threads are daemons and end after a while without work, so an idle application (or one being undeployed)
     * keeps none. The queue is unbounded: it holds at most the connections retired faster than they close, each
     * already out of its pool.
     */
    private static final ExecutorService CLOSER = closer();

    /** Opens one authenticated connection. */
    @FunctionalInterface
    interface Connector {
        Transport connect() throws MessagingException;
    }

    /** A connection lent to one caller. */
    static final class Connection {
        final Transport transport;
        /** When this connection is retired (System.nanoTime() scale), whatever its use. */
        final long expiresAt;

        int messages;
        long idleSince;
        /** Whether it was taken from the idle connections rather than opened for this caller. */
        boolean reused;

        private Connection(Transport transport, long expiresAt) {
            this.transport = transport;
            this.expiresAt = expiresAt;
        }
    }

    private final Connector connector;
    private final String where;
    private final int maxConnections;
    private final int maxMessages;
    private final long maxIdleNanos;
    private final long maxLifetimeNanos;
    private final long validateAfterIdleNanos;
    private final long acquireTimeoutMs;
    private final Semaphore permits;
    /** The time now, in nanoseconds ({@link System#nanoTime()} but in tests). */
    private final LongSupplier clock;
    /** Idle connections, most recently used first. Guarded by itself. */
    private final Deque<Connection> idle = new ArrayDeque<>();

    private volatile boolean closed;

    SmtpConnectionPool(
            Connector connector,
            String where,
            int maxConnections,
            int maxMessages,
            long maxIdleMs,
            long maxLifetimeMs,
            long validateAfterIdleMs,
            long acquireTimeoutMs,
            LongSupplier clock) {
        this.connector = connector;
        this.where = where;
        this.maxConnections = maxConnections;
        this.maxMessages = maxMessages;
        this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(maxIdleMs);
        this.maxLifetimeNanos = TimeUnit.MILLISECONDS.toNanos(maxLifetimeMs);
        this.clock = clock;
        this.validateAfterIdleNanos = TimeUnit.MILLISECONDS.toNanos(validateAfterIdleMs);
        this.acquireTimeoutMs = acquireTimeoutMs;
        this.permits = new Semaphore(maxConnections, true);
    }

    /**
     * Lends a connection, an idle one if there is one; give it back with {@link #release}.
     *
     * @throws MailException unavailable when no connection is free in time or none can be opened; authentication
     *     when the server refuses the credentials
     */
    Connection acquire() {
        return acquire(true);
    }

    /** Lends a newly opened connection, for a message that an idle connection failed to send. */
    Connection acquireNew() {
        return acquire(false);
    }

    private Connection acquire(boolean idleAllowed) {
        if (closed) {
            throw new MailUnavailableException(
                    "The SMTP transport is closed", SmtpTransportProvider.NAME, MailException.NO_STATUS, null, null);
        }
        try {
            if (!permits.tryAcquire(acquireTimeoutMs, TimeUnit.MILLISECONDS)) {
                throw new MailUnavailableException(
                        "No SMTP connection to " + where + " became free within " + acquireTimeoutMs + " ms (all "
                                + maxConnections + " in use)",
                        SmtpTransportProvider.NAME,
                        MailException.NO_STATUS,
                        null,
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailUnavailableException(
                    "Interrupted while waiting for an SMTP connection",
                    SmtpTransportProvider.NAME,
                    MailException.NO_STATUS,
                    null,
                    e);
        }
        try {
            Connection c;
            while (idleAllowed && (c = pollIdle()) != null) {
                long now = clock.getAsLong();
                long idleNanos = now - c.idleSince;
                if (idleNanos > maxIdleNanos
                        || expired(c, now)
                        || (idleNanos > validateAfterIdleNanos && !c.transport.isConnected())) {
                    closeQuietly(c);
                } else {
                    c.reused = true;
                    return c;
                }
            }
            Transport t = connector.connect();
            return new Connection(t, clock.getAsLong() + lifetimeNanos());
        } catch (MessagingException e) {
            permits.release();
            throw SmtpFailures.classify(e, where);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * Takes a connection back.
     *
     * @param sent whether a message went out over it
     * @param healthy whether the connection can serve another message
     */
    void release(Connection c, boolean sent, boolean healthy) {
        try {
            if (sent) {
                c.messages++;
            }
            boolean kept = false;
            long now = clock.getAsLong();
            if (healthy && c.messages < maxMessages && !expired(c, now)) {
                c.idleSince = now;
                synchronized (idle) {
                    // Checked under the lock close() takes, so that no connection is parked after close().
                    if (!closed) {
                        idle.addFirst(c);
                        kept = true;
                    }
                }
            }
            if (!kept) {
                closeQuietly(c);
            }
        } finally {
            permits.release();
        }
        evictIdle();
    }

    /**
     * A new connection's lifetime: the maximum less a random jitter of up to {@value #LIFETIME_JITTER_PERCENT}%, so that
     * the connections a burst opened together are retired at different times.
     */
    private long lifetimeNanos() {
        long jitter = maxLifetimeNanos * LIFETIME_JITTER_PERCENT / 100;
        return maxLifetimeNanos - (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
    }

    private static boolean expired(Connection c, long now) {
        return now - c.expiresAt >= 0;
    }

    private Connection pollIdle() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    /** Closes idle connections that were unused too long or outlived their lifetime (a few: all are looked at). */
    private void evictIdle() {
        List<Connection> expired = new ArrayList<>();
        long now = clock.getAsLong();
        synchronized (idle) {
            Iterator<Connection> it = idle.iterator();
            while (it.hasNext()) {
                Connection c = it.next();
                if (now - c.idleSince > maxIdleNanos || expired(c, now)) {
                    it.remove();
                    expired.add(c);
                }
            }
        }
        expired.forEach(SmtpConnectionPool::closeQuietly);
    }

    /** The figures now; a lent connection holds a permit until it is given back. */
    ConnectionPoolState state() {
        int idleNow;
        synchronized (idle) {
            idleNow = idle.size();
        }
        return new ConnectionPoolState(
                maxConnections, maxConnections - permits.availablePermits(), idleNow, permits.getQueueLength());
    }

    /** Closes every idle connection; connections in use are closed when given back. */
    @Override
    public void close() {
        List<Connection> all;
        synchronized (idle) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        // A plain loop, not a method reference: linking one at shutdown loads classes through the application's
        // class loader, which Payara Micro 7 has already stopped when a failed deployment's CDI container closes.
        for (Connection c : all) {
            closeQuietly(c);
        }
    }

    /** Closes a connection in the background, on the closing threads every pool shares. */
    private static void closeQuietly(Connection c) {
        CLOSER.execute(() -> {
            try {
                c.transport.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.log(Level.FINE, "Closing an SMTP connection failed", e);
            }
        });
    }

    private static ExecutorService closer() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                CLOSING_THREADS, CLOSING_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "mailpath-smtp-close-" + CLOSING_THREADS_STARTED.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** How many closing threads were ever started (in this class loader). */
    static int closingThreadsStarted() {
        return CLOSING_THREADS_STARTED.get();
    }
}
