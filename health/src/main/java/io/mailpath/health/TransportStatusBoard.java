package io.mailpath.health;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.events.MailFailed;
import io.mailpath.events.MailSent;
import io.mailpath.routing.RoutingState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each transport's status, fed by the routed sends' events and by the canary: observed synchronously on the sender's
 * thread, so the board is current when {@code send} returns, and cheap (a few field writes per attempt). Every routed
 * send ends in one {@link MailSent} or one {@link MailFailed}, each with all its attempts, so those two are all it
 * observes; the canary, which sends through each transport alone, reports its sends itself ({@link #canarySent}).
 * What it keeps of a failure is what a probe may show: no address, no secret ({@link FailureReason}).
 *
 * <p>Outcomes are kept per stream and transport ({@link Mail#stream()}): each stream has its own transports (its own
 * key, login and circuit breaker), so a failure of marketing's {@code api} says nothing of transactional's.
 */
@ApplicationScoped
public class TransportStatusBoard {
    @Inject
    RoutingState routing;

    /** By stream, then transport. */
    private final Map<String, Map<String, Path>> streams = new ConcurrentHashMap<>();

    private volatile Clock clock = Clock.systemUTC();

    void sent(@Observes MailSent event) {
        record(event.receipt().attempts(), event.mail(), false);
    }

    void failed(@Observes MailFailed event) {
        record(event.attempts(), event.mail(), false);
    }

    /**
     * The canary sent through one transport alone: its outcome speaks for that transport like a routed attempt's, and
     * a failure that means the transport cannot send counts until something is delivered through it again.
     *
     * @param attempt how the canary's send ended
     * @param canary the canary message, {@linkplain Mail#inStream stamped with its stream} unless it is the unnamed
     *     stream's
     */
    public void canarySent(Attempt attempt, Mail canary) {
        record(List.of(attempt), canary, true);
    }

    private void record(List<Attempt> attempts, Mail mail, boolean canary) {
        Instant now = clock.instant();
        String stream = mail.stream();
        Map<String, Path> paths = streams.computeIfAbsent(stream, s -> new ConcurrentHashMap<>());
        for (Attempt a : attempts) {
            if (a.skipped()) {
                continue; // not tried (it cannot carry that message): says nothing of the path
            }
            TransportStatus.Failure failure = a.isSuccess()
                    ? null
                    : new TransportStatus.Failure(
                            now, a.failure(), a.status(), FailureReason.of(a, mail), a.recipientsRefused());
            paths.computeIfAbsent(a.transport(), n -> new Path())
                    .record(failure, now, routing.circuitRefusing(stream, a.transport()), canary);
        }
    }

    /**
     * What the unnamed stream's sends showed of this transport so far; all zero and null before its first attempt.
     */
    public TransportStatus status(String transport) {
        return status(MailStream.DEFAULT, transport);
    }

    /**
     * What one stream's sends (and its canary) showed of its own transport so far; all zero and null before its first
     * attempt.
     *
     * @param stream the stream's name, {@value MailStream#DEFAULT} for the unnamed one
     * @param transport the transport's name
     */
    public TransportStatus status(String stream, String transport) {
        Map<String, Path> paths = streams.get(stream);
        Path path = paths == null ? null : paths.get(transport);
        if (path == null) {
            return new TransportStatus(transport, 0, 0, null, null, false, null, null);
        }
        return path.snapshot(transport, routing.circuitRefusing(stream, transport));
    }

    /** The time now, by the board's clock. */
    Instant now() {
        return clock.instant();
    }

    /** Replaces the clock that stamps outcomes and judges their age; for tests. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    /** One transport's record; its lock is held for a few field writes. */
    private static final class Path {
        private long attempts;
        private long failures;
        private Instant lastSuccess;
        private TransportStatus.Failure lastFailure;
        private boolean latestFailed;
        private Instant circuitOpenSince;
        private TransportStatus.Failure canaryFailure;

        /** Records one attempt: a success when {@code failure} is null. */
        synchronized void record(
                TransportStatus.Failure failure, Instant now, boolean circuitRefusing, boolean canary) {
            // The counts are the application's sends; a canary's outcome speaks for the path's state only.
            if (!canary) {
                attempts++;
                if (failure != null) {
                    failures++;
                }
            }
            if (failure == null) {
                lastSuccess = now;
                latestFailed = false;
                // Something was delivered: the canary's failure no longer says the transport cannot send.
                canaryFailure = null;
            } else {
                lastFailure = failure;
                latestFailed = true;
                if (canary) {
                    canaryFailure = failure.speaksForThePath() ? failure : null;
                }
            }
            circuit(circuitRefusing, now);
        }

        synchronized TransportStatus snapshot(String transport, boolean circuitRefusing) {
            circuit(circuitRefusing, null);
            return new TransportStatus(
                    transport,
                    attempts,
                    failures,
                    lastSuccess,
                    lastFailure,
                    latestFailed,
                    circuitOpenSince,
                    canaryFailure);
        }

        /** Keeps the first refusal's time while the breaker refuses; forgets it once a call went through. */
        private void circuit(boolean refusing, Instant now) {
            if (!refusing) {
                circuitOpenSince = null;
            } else if (circuitOpenSince == null && now != null) {
                circuitOpenSince = now;
            }
        }
    }
}
