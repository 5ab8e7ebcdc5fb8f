package io.mailpath.health;

import io.mailpath.Attempt;
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
 * Each transport's status, fed by the routed sends' events: observed synchronously on the sender's thread, so the
 * board is current when {@code send} returns, and cheap (a few field writes per attempt). Every send ends in one
 * {@link MailSent} or one {@link MailFailed}, each with all its attempts, so those two are all it observes.
 */
@ApplicationScoped
public class TransportStatusBoard {
    /** The longest failure detail kept. */
    static final int MAX_DETAIL = 300;

    @Inject
    RoutingState routing;

    private final Map<String, Path> paths = new ConcurrentHashMap<>();

    private volatile Clock clock = Clock.systemUTC();

    void sent(@Observes MailSent event) {
        record(event.receipt().attempts());
    }

    void failed(@Observes MailFailed event) {
        record(event.attempts());
    }

    private void record(List<Attempt> attempts) {
        Instant now = clock.instant();
        for (Attempt a : attempts) {
            paths.computeIfAbsent(a.transport(), n -> new Path())
                    .record(a, now, routing.circuitRefusing(a.transport()));
        }
    }

    /** What the sends showed of this transport so far; all zero and null before its first attempt. */
    public TransportStatus status(String transport) {
        Path path = paths.get(transport);
        if (path == null) {
            return new TransportStatus(transport, 0, 0, null, null, false, null);
        }
        return path.snapshot(transport, routing.circuitRefusing(transport));
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

        synchronized void record(Attempt a, Instant now, boolean circuitRefusing) {
            attempts++;
            if (a.isSuccess()) {
                lastSuccess = now;
                latestFailed = false;
            } else {
                failures++;
                lastFailure = new TransportStatus.Failure(now, a.failure(), a.status(), oneLine(a.detail()));
                latestFailed = true;
            }
            circuit(circuitRefusing, now);
        }

        synchronized TransportStatus snapshot(String transport, boolean circuitRefusing) {
            circuit(circuitRefusing, null);
            return new TransportStatus(
                    transport, attempts, failures, lastSuccess, lastFailure, latestFailed, circuitOpenSince);
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

    /** A detail fit for a health report: one line of printable characters, shortened. */
    static String oneLine(String detail) {
        if (detail == null) {
            return null;
        }
        String line = detail.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL - 3) + "...";
    }
}
