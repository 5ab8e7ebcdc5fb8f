package io.mailpath.routing;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;

/**
 * One routed send: the message, the order of transports and every attempt made, each logged once. It is the one
 * parameter the Fault Tolerance-guarded methods share, so retries and the fallback add to it, and the fallback finds
 * it by type ({@link #of(ExecutionContext)}).
 */
public final class SendContext {
    private static final Logger LOG = Logger.getLogger(SendContext.class.getName());

    private final Mail mail;
    private final List<String> order;
    private final List<Attempt> attempts = new ArrayList<>();
    private boolean failedOver;
    private boolean possibleDuplicate;

    SendContext(Mail mail, List<String> order) {
        this.mail = mail;
        this.order = List.copyOf(order);
    }

    /** The send context among a guarded method's parameters. */
    static SendContext of(ExecutionContext execution) {
        for (Object p : execution.getParameters()) {
            if (p instanceof SendContext c) {
                return c;
            }
        }
        throw new IllegalStateException(execution.getMethod() + " has no SendContext parameter");
    }

    Mail mail() {
        return mail;
    }

    List<String> order() {
        return order;
    }

    String primary() {
        return order.get(0);
    }

    /** Runs one attempt through one transport and records it. */
    SendReceipt attempt(String transport, Supplier<SendReceipt> call) {
        long start = System.nanoTime();
        try {
            SendReceipt r = call.get();
            Attempt own = r.attempts().isEmpty()
                    ? null
                    : r.attempts().get(r.attempts().size() - 1);
            add(Attempt.succeeded(transport, own == null ? MailException.NO_STATUS : own.status(), since(start)));
            return r;
        } catch (MailException e) {
            add(Attempt.failed(transport, e, since(start)));
            throw e;
        }
    }

    /**
     * Records an attempt that failed outside the transport (a Fault Tolerance timeout, an open circuit, a transport
     * that cannot carry the message).
     *
     * @param replacesLast whether it replaces this transport's last recorded attempt: a timed-out call may already
     *     have recorded how it ended, but the timeout is what counts
     */
    synchronized void failedOutside(String transport, FailureKind kind, String detail, boolean replacesLast) {
        Duration took = Duration.ZERO;
        int last = attempts.size() - 1;
        if (replacesLast && last >= 0 && attempts.get(last).transport().equals(transport)) {
            took = attempts.remove(last).duration();
        }
        Attempt a = new Attempt(transport, kind, MailException.NO_STATUS, took, detail);
        attempts.add(a);
        log(a);
    }

    synchronized void markFailedOver(boolean possibleDuplicate) {
        this.failedOver = true;
        this.possibleDuplicate |= possibleDuplicate;
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The receipt the caller gets: the delivering transport's, with every attempt and the failover flags. */
    synchronized SendReceipt finish(SendReceipt r) {
        return new SendReceipt(
                r.transport(),
                r.mailId(),
                r.deliveries(),
                r.accepted(),
                r.rejected(),
                attempts,
                failedOver,
                possibleDuplicate);
    }

    private synchronized void add(Attempt a) {
        attempts.add(a);
        log(a);
    }

    private void log(Attempt a) {
        if (a.isSuccess()) {
            LOG.log(
                    attempts.size() > 1 ? Level.INFO : Level.FINE,
                    () -> "Mail " + mail.id() + " sent through '" + a.transport() + "' in "
                            + a.duration().toMillis() + " ms (attempt " + attempts.size() + ")");
        } else {
            LOG.log(
                    a.failure() == FailureKind.REJECTED ? Level.INFO : Level.WARNING,
                    () -> "Mail " + mail.id() + " attempt " + attempts.size() + " through '" + a.transport()
                            + "' failed: " + a.failure()
                            + (a.status() == MailException.NO_STATUS ? "" : " " + a.status())
                            + " after " + a.duration().toMillis() + " ms - " + a.detail());
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
