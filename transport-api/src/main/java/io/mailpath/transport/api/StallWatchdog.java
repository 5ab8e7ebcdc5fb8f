package io.mailpath.transport.api;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Ends exchanges that outlast their bound: one timer thread for all of a transport's sends, started on first use and
 * stopped when idle, which breaks an exchange whose reply has not begun in time.
 *
 * <p>Why it is needed: the HTTP engines have a connect and a read timeout, none a write timeout. A peer that stops
 * reading while a request larger than the sockets' buffers is written blocks the write for as long as it keeps the
 * connection open; interrupting the thread does not end a blocking socket write, closing the connection does.
 */
final class StallWatchdog implements AutoCloseable {
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int ABORTED = 2;

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "mailpath-api-watchdog");
        t.setDaemon(true);
        return t;
    });

    StallWatchdog() {
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
    }

    /** One exchange under watch: it either finishes, or is aborted when its bound passes first. */
    static final class Watch {
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile ScheduledFuture<?> timeout;

        /**
         * Marks the exchange as ended and stops watching it.
         *
         * @return false when it was aborted: its client was closed under it
         */
        boolean finish() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
        }

        /** Whether the bound passed and the exchange was aborted. */
        boolean aborted() {
            return state.get() == ABORTED;
        }
    }

    /**
     * Watches one exchange.
     *
     * @param boundMs how long the exchange may run before its reply begins
     * @param replyStarted whether the reply began: then the read timeout bounds the rest, and it is not aborted
     * @param abort breaks the exchange (closes its connection); runs at most once, never after {@link Watch#finish()}
     */
    Watch watch(long boundMs, BooleanSupplier replyStarted, Runnable abort) {
        Watch w = new Watch();
        try {
            w.timeout = timer.schedule(
                    () -> {
                        if (!replyStarted.getAsBoolean() && w.state.compareAndSet(RUNNING, ABORTED)) {
                            abort.run();
                        }
                    },
                    boundMs,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The transport is closing: its clients are closed with it, which ends this exchange as well.
        }
        return w;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
