package io.mailpath.spi;

import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailUnavailableException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The send flow every transport shares, written once: refuse when closed, compose the message into parts, deliver
 * each part, account for what was delivered, refused or left uncertain, and return the receipt or throw the failure
 * that matters most. A transport supplies how to compose a message ({@link #compose}), how to deliver one part
 * ({@link #deliver}) and how to classify its own failures.
 *
 * <p>Accounting, for a message sent as several parts (one per recipient with per-recipient data):
 *
 * <ul>
 *   <li>a part that fails does not stop the others; its recipients are reported in {@link SendReceipt#rejected()}
 *       with the failure's kind;
 *   <li>when at least one part was delivered, the caller gets a receipt ({@link SendReceipt#isPartial()});
 *   <li>when none was, the caller gets the first failure, except that an uncertain one wins (a part that may have
 *       been delivered must never be reported as undelivered); then a failure of the transport over a refusal of a
 *       part's recipients ({@link MailException#refusedRecipients()}); a rejection ({@code REJECTED}) last (one
 *       recipient refused for good must not make a caller give up another who is only greylisted).
 * </ul>
 *
 * A message sent as one part fails with that part's failure unchanged.
 *
 * @param <P> one part as this transport sends it (a JSON request, a MIME message)
 */
public abstract class AbstractTransport<P> implements DirectTransport {
    private static final Logger LOG = Logger.getLogger(AbstractTransport.class.getName());

    private final TransportProvider provider;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param provider the provider that built this transport: its name and capabilities are this transport's */
    protected AbstractTransport(TransportProvider provider) {
        this.provider = provider;
    }

    /** The parts a message goes out as: one, or one per recipient when it carries per-recipient data. */
    protected abstract List<P> compose(Mail mail);

    /** The recipients a part is addressed to, reported as not reached when the part fails. */
    protected abstract List<String> recipients(P part);

    /**
     * Delivers one part.
     *
     * @throws MailException classified by this transport: what failed, and whether the server may have accepted it
     */
    protected abstract PartReceipt deliver(P part);

    /**
     * Classifies a failure {@link #deliver} let through that is not a {@link MailException}. By default it is thrown
     * unchanged, which ends the whole send; a transport whose parts go out at once ({@link #partExecutor()}) should
     * classify every failure, so that the parts already delivered are still reported.
     */
    protected MailException classify(RuntimeException failure) {
        throw failure;
    }

    /**
     * Where the parts of a message with several are delivered, so that they go out at once; null (the default) sends
     * them one after another on the caller's thread. The caller's thread delivers the parts that no thread of the
     * executor has started by the time it looks at them, so that a send never waits on an executor that is full (a
     * container's shared executor whose threads are themselves sending); a part is delivered once either way.
     */
    protected Executor partExecutor() {
        return null;
    }

    /** Releases this transport's connections and threads; called once, by {@link #close()}. */
    protected abstract void release();

    @Override
    public final String name() {
        return provider.name();
    }

    @Override
    public final Set<Capability> capabilities() {
        return provider.capabilities();
    }

    @Override
    public final SendReceipt send(Mail mail) {
        if (closed.get()) {
            throw new MailUnavailableException(
                    "The '" + name() + "' transport is closed", name(), MailException.NO_STATUS, null, null);
        }
        long start = System.nanoTime();
        List<P> parts = compose(mail);
        if (parts.isEmpty()) {
            throw new IllegalStateException(getClass().getName() + ".compose returned no parts for " + mail.id());
        }
        Accounting accounting = new Accounting();
        if (parts.size() == 1) {
            accounting.delivered(deliverClassified(parts.get(0)));
        } else {
            deliverEach(parts, accounting);
        }
        if (accounting.deliveries.isEmpty()) {
            throw accounting.worst;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(
                Level.FINE,
                () -> "Sent " + mail.id() + " through '" + name() + "' as " + accounting.deliveries.size() + " of "
                        + parts.size() + " part(s) in " + took.toMillis() + " ms");
        return SendReceipt.delivered(
                name(), mail.id(), accounting.deliveries, accounting.refused, accounting.status, took);
    }

    private void deliverEach(List<P> parts, Accounting accounting) {
        Executor executor = partExecutor();
        if (executor == null) {
            for (P part : parts) {
                try {
                    accounting.delivered(deliverClassified(part));
                } catch (MailException e) {
                    accounting.failed(recipients(part), e);
                }
            }
            return;
        }
        List<PartTask> tasks = new ArrayList<>(parts.size());
        for (P part : parts) {
            PartTask task = new PartTask(part);
            tasks.add(task);
            try {
                executor.execute(task);
            } catch (RuntimeException e) {
                // A stopping executor, or one that failed to take the part: the caller delivers it below. Leaving
                // now would report a failure while the parts already handed over are being delivered.
                LOG.log(Level.FINE, "A part executor did not take a part; the caller's thread delivers it", e);
            }
        }
        for (PartTask task : tasks) {
            // A part no executor thread has started yet is delivered here: a send never waits on an executor whose
            // threads are all busy, not even when they are busy sending, waiting for their own parts.
            task.run();
            try {
                accounting.delivered(task.result.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) {
                    throw error;
                }
                MailException failure = cause instanceof MailException me ? me : classify((RuntimeException) cause);
                accounting.failed(recipients(task.part), failure);
            }
        }
    }

    /** One part, delivered once, by the first thread that runs it: an executor's or the caller's. */
    private final class PartTask implements Runnable {
        final P part;
        final CompletableFuture<PartReceipt> result = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();

        PartTask(P part) {
            this.part = part;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                result.complete(deliverClassified(part));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }
    }

    private PartReceipt deliverClassified(P part) {
        try {
            return deliver(part);
        } catch (MailException e) {
            throw e;
        } catch (RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    /** Whether {@link #close()} was called: a transport creates no new threads or connections then. */
    protected final boolean isClosed() {
        return closed.get();
    }

    /** What the parts of one message achieved, in the order they were composed. */
    private static final class Accounting {
        final List<Delivery> deliveries = new ArrayList<>();
        final List<RejectedRecipient> refused = new ArrayList<>();
        int status = MailException.NO_STATUS;
        MailException worst;

        void delivered(PartReceipt receipt) {
            deliveries.add(receipt.delivery());
            refused.addAll(receipt.refused());
            if (status == MailException.NO_STATUS) {
                status = receipt.status();
            }
        }

        void failed(List<String> recipients, MailException e) {
            if (worst == null || weight(e) > weight(worst)) {
                worst = e;
            }
            for (String r : recipients) {
                refused.add(RejectedRecipient.failed(r, e));
            }
        }

        /**
         * Which failure the caller gets when no part was delivered: an uncertain one first, so that the caller never
         * takes a message that may have gone for undelivered; then a failure of the path over a refusal of some
         * recipients, so that a path that cannot take mail is not hidden behind a greylisted recipient; a rejection
         * last, so that one recipient refused for good never makes a retry skip the others, whom nothing refused;
         * else the first.
         */
        private static int weight(MailException e) {
            if (e.kind() == FailureKind.UNCERTAIN) {
                return 3;
            }
            if (e.kind() == FailureKind.REJECTED) {
                return 0;
            }
            return e.refusedRecipients().isEmpty() ? 2 : 1;
        }
    }
}
