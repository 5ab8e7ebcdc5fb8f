package io.mailpath.routing;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
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
    /** The receipt a transport returned, once one did: a delivery stands whatever Fault Tolerance says afterwards. */
    private SendReceipt delivered;
    /** How the last attempt ended when the transport itself raised the failure; null while it runs, or if it did not. */
    private MailException lastFailure;

    private boolean inFlight;
    private String lastTransport;

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

    /** Runs one attempt through one transport and records how it ended. */
    SendReceipt attempt(String transport, Supplier<SendReceipt> call) {
        long start = System.nanoTime();
        synchronized (this) {
            inFlight = true;
            lastFailure = null;
            lastTransport = transport;
        }
        try {
            SendReceipt r = call.get();
            Attempt own = r.attempts().isEmpty()
                    ? null
                    : r.attempts().get(r.attempts().size() - 1);
            synchronized (this) {
                if (delivered == null) {
                    delivered = r;
                }
            }
            add(Attempt.succeeded(transport, own == null ? MailException.NO_STATUS : own.status(), since(start)));
            return r;
        } catch (MailException e) {
            synchronized (this) {
                lastFailure = e;
            }
            add(Attempt.failed(transport, e, since(start)));
            throw e;
        } finally {
            synchronized (this) {
                inFlight = false;
            }
        }
    }

    /**
     * The receipt of a transport that delivered, even if Fault Tolerance then reported a failure (its timeout fired
     * while the transport was finishing): the caller gets it rather than a second copy through another path.
     */
    synchronized SendReceipt delivered() {
        return delivered;
    }

    /**
     * How the transport itself classified the last attempt, when that attempt has ended with a failure: it knows the
     * protocol phase, so its kind stands over a Fault Tolerance timeout. Null while the attempt still runs (a Fault
     * Tolerance implementation that does not wait for it) or when it succeeded.
     */
    synchronized MailException endedWith() {
        return inFlight ? null : lastFailure;
    }

    /**
     * The outcome of a send that Fault Tolerance ended with something other than a receipt or a Mailpath exception
     * (an interrupt while the application stops): what the transports reported, never less certain than that.
     */
    synchronized MailException interrupted(Throwable cause) {
        if (lastTransport == null) {
            return new MailUnavailableException(
                    "The send was interrupted before any transport took the message (" + cause + ")",
                    null,
                    MailException.NO_STATUS,
                    null,
                    cause);
        }
        if (inFlight || possibleDuplicate || (lastFailure != null && lastFailure.kind() == FailureKind.UNCERTAIN)) {
            return new MailUncertainException(
                    "The send was interrupted while transport '" + lastTransport + "' was at work (" + cause
                            + "); the message may have been sent",
                    lastTransport,
                    MailException.NO_STATUS,
                    null,
                    cause);
        }
        return lastFailure != null
                ? lastFailure
                : new MailUnavailableException(
                        "The send was interrupted (" + cause + ")",
                        lastTransport,
                        MailException.NO_STATUS,
                        null,
                        cause);
    }

    /**
     * Records an attempt that failed outside the transport (a Fault Tolerance timeout with the transport still at work,
     * an open circuit).
     */
    synchronized void failedOutside(String transport, FailureKind kind, String detail) {
        Attempt a = new Attempt(transport, kind, MailException.NO_STATUS, Duration.ZERO, detail);
        attempts.add(a);
        log(a);
    }

    /** Records a transport passed over because it cannot carry the message, and why. */
    synchronized void skipped(String transport, String reason) {
        Attempt a = Attempt.skipped(transport, reason);
        attempts.add(a);
        LOG.log(Level.INFO, () -> "Mail " + mail.id() + ": transport '" + transport + "' skipped - " + reason);
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
