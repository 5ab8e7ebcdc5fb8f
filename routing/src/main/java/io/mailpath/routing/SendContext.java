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

/**
 * One routed send, all of its state in one place: the message, the order of transports, every attempt made (each
 * logged once), the failure that ended each path, and the receipt once a transport delivered. The router creates it;
 * the guarded paths ({@link PrimaryPath}, {@link SecondaryPath}) take it as their parameter and add to it, and the
 * primary's fallback ({@link PrimaryPath#failOver}) receives it as it is.
 *
 * <p>Fault Tolerance hands a fallback method no exception, so the send itself says how a guarded call ended
 * ({@link #failureOfCall}): the transport's own failure when it raised one (it knows the protocol phase, so its kind
 * stands over a Fault Tolerance timeout), an uncertain outcome when the timeout fired with the transport still at
 * work, and an open circuit when no try reached the transport.
 */
public final class SendContext {
    private static final Logger LOG = Logger.getLogger(SendContext.class.getName());

    private final Mail mail;
    private final StreamRoute stream;
    private final List<String> order;
    private final List<Attempt> attempts = new ArrayList<>();
    /** The failure that ended each guarded call, in order: the primary's first. */
    private final List<MailException> failures = new ArrayList<>();
    /** The receipt a transport returned, once one did: a delivery stands whatever Fault Tolerance says afterwards. */
    private SendReceipt delivered;
    /** Whether the primary was already tried again after waiting for its {@code Retry-After}: once per send. */
    private boolean primaryRetried;

    // The try in progress or last ended; a try may still run on another thread when a Fault Tolerance timeout fires.
    private String lastTransport;
    private boolean inFlight;
    /** How the last try ended when the transport itself raised the failure; null while it runs, or if it did not. */
    private MailException lastFailure;
    /** Whether a try reached a transport since the last guarded call's end was read. */
    private boolean reached;

    /** A send of a message already admitted to its stream ({@link StreamRoute#admit}). */
    SendContext(Mail mail, StreamRoute stream) {
        this.mail = mail;
        this.stream = stream;
        this.order = List.copyOf(stream.routing().order());
    }

    Mail mail() {
        return mail;
    }

    /** The stream the message is sent through: its transports, failover settings and circuit breakers. */
    StreamRoute stream() {
        return stream;
    }

    List<String> order() {
        return order;
    }

    String primary() {
        return order.get(0);
    }

    /** Runs one try through one transport and records how it ended. */
    SendReceipt attempt(String transport, Supplier<SendReceipt> call) {
        long start = System.nanoTime();
        synchronized (this) {
            reached = true;
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
     * Whether a try of the guarded call that just failed reached the transport. When none did, Fault Tolerance refused
     * the call itself: the circuit breaker is open. Read before {@link #failureOfCall}, which starts the next call.
     */
    synchronized boolean reachedTransport() {
        return reached;
    }

    /**
     * How the guarded call through {@code transport} that just failed ended, as Mailpath classifies it; recorded as that
     * path's failure.
     *
     * <ul>
     *   <li>no try reached the transport: the circuit breaker refused it, <em>unavailable</em>;
     *   <li>the last try ended with the transport's own failure: that failure, also when a Fault Tolerance timeout was
     *       reported meanwhile;
     *   <li>the timeout fired with the transport still at work (or ended without a classification): <em>uncertain</em>,
     *       the message may have been sent.
     * </ul>
     *
     * @param guard the guarded bean, named in the detail of a timeout ({@code PrimaryPath/send})
     */
    synchronized MailException failureOfCall(String transport, Class<?> guard) {
        MailException failure;
        if (!reached) {
            String detail = "circuit breaker open: '" + transport + "' failed repeatedly and is skipped for now";
            failedOutside(transport, FailureKind.UNAVAILABLE, detail);
            failure = new MailUnavailableException(detail, transport, MailException.NO_STATUS, null, null);
        } else if (inFlight || lastFailure == null) {
            String detail = "no answer within the Fault Tolerance timeout of " + guard.getSimpleName()
                    + "/send; the message may have been sent";
            failedOutside(transport, FailureKind.UNCERTAIN, detail);
            failure = new MailUncertainException(detail, transport, MailException.NO_STATUS, null, null);
        } else {
            failure = lastFailure;
        }
        reached = false;
        failures.add(failure);
        return failure;
    }

    /** Whether the primary may still be tried again after a wait: once per send. */
    synchronized boolean primaryMayRetry() {
        return !primaryRetried;
    }

    /**
     * Waits for the primary's {@code Retry-After} before it is tried again; false when the wait was interrupted (the
     * application stopping), and then the primary is not tried again.
     */
    boolean waitForPrimary(Duration wait) {
        synchronized (this) {
            primaryRetried = true;
        }
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records a transport passed over because it cannot carry the message, and why. */
    synchronized void skipped(String transport, String reason) {
        Attempt a = Attempt.skipped(transport, reason);
        attempts.add(a);
        LOG.log(Level.INFO, () -> "Mail " + mail.id() + ": transport '" + transport + "' skipped - " + reason);
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /**
     * The exception the caller gets when the send stops without a delivery: the last path's own failure when the send
     * never failed over, else one exception of the final kind that lists every attempt
     * ({@link MailException#afterFailover}).
     */
    synchronized MailException failure() {
        MailException last = failures.get(failures.size() - 1);
        return failedOver() ? MailException.afterFailover(attempts, failures) : last;
    }

    /** The receipt the caller gets: the delivering transport's, with every attempt and the failover flags. */
    synchronized SendReceipt finish(SendReceipt r) {
        boolean failedOver = failedOver();
        return new SendReceipt(
                r.transport(),
                r.mailId(),
                r.deliveries(),
                r.accepted(),
                r.rejected(),
                attempts,
                failedOver,
                failedOver && anyUncertain(),
                mail.stream());
    }

    /**
     * The outcome of a send that Fault Tolerance ended with something other than a receipt or a Mailpath exception
     * (an interrupt while the application stops): what the transports reported, never less certain than that; after a
     * failover, in one exception of the final kind with every attempt ({@link MailException#afterFailover}).
     */
    synchronized MailException interrupted(Throwable cause) {
        MailException outcome = outcomeOfInterrupt(cause);
        if (!failedOver()) {
            return outcome;
        }
        // A send that failed over says so however it ended: every attempt, and whether one may have delivered.
        List<MailException> all = new ArrayList<>(failures);
        all.add(outcome);
        return MailException.afterFailover(attempts, all);
    }

    private MailException outcomeOfInterrupt(Throwable cause) {
        if (lastTransport == null) {
            return new MailUnavailableException(
                    "The send was interrupted before any transport took the message (" + cause + ")",
                    null,
                    MailException.NO_STATUS,
                    null,
                    cause);
        }
        if (inFlight || anyUncertain() || (lastFailure != null && lastFailure.kind() == FailureKind.UNCERTAIN)) {
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

    /** Whether the send went beyond its primary: a later path was tried or skipped. */
    private boolean failedOver() {
        String primary = primary();
        return attempts.stream().anyMatch(a -> !a.transport().equals(primary));
    }

    private boolean anyUncertain() {
        return failures.stream().anyMatch(f -> f.kind() == FailureKind.UNCERTAIN);
    }

    /**
     * Records a try that failed outside the transport (a Fault Tolerance timeout with the transport still at work, an
     * open circuit).
     */
    private void failedOutside(String transport, FailureKind kind, String detail) {
        add(new Attempt(transport, kind, MailException.NO_STATUS, Duration.ZERO, detail));
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
