package io.mailpath.outbox.property;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers behind the two scripted paths, shared by the transports the container builds and the generated run: the
 * script of each message (its faults are used up call by call), the copies each recipient got, and the waits a
 * {@code Retry-After} asked for. One run at a time.
 */
final class Peers {
    /** The peers of the run in progress. */
    static final Peers NOW = new Peers();

    /** One copy a recipient got. */
    record Copy(String path, String mailId, String recipient, Instant at) {}

    private ScriptClock clock = new ScriptClock();
    private Duration slowBy = Duration.ZERO;
    private final Map<String, MessagePlan> plans = new HashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, Instant> waitAskedUntil = new HashMap<>();
    private final List<Copy> copies = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    private Peers() {}

    /** A new run: nothing scripted, nothing received; a slow peer answers after {@code slowBy} of the run's clock. */
    synchronized void reset(ScriptClock clock, Duration slowBy) {
        this.clock = clock;
        this.slowBy = slowBy;
        plans.clear();
        faults.clear();
        waitAskedUntil.clear();
        copies.clear();
        violations.clear();
    }

    synchronized void script(String id, MessagePlan plan) {
        plans.put(id, plan);
        faults.put(key(ScriptedTransport.API, id), new ArrayDeque<>(plan.apiFaults()));
        faults.put(key(ScriptedTransport.SMTP, id), new ArrayDeque<>(plan.smtpFaults()));
    }

    /**
     * The waits asked for so far no longer bind: the outbox could not record them (its relay died before recording
     * the outcome, or the database failed). Only a wait the outbox recorded is a promise.
     */
    synchronized void forgetWaits() {
        waitAskedUntil.clear();
    }

    /** The passing faults stop: what is left are the script's refusals for good. */
    synchronized void stopFaults() {
        faults.clear();
    }

    synchronized MessagePlan plan(String id) {
        MessagePlan plan = plans.get(id);
        if (plan == null) {
            throw new IllegalStateException("no script for mail " + id);
        }
        return plan;
    }

    /**
     * A call of {@code path} for mail {@code id} starts: checks that an earlier {@code Retry-After} of this path for
     * this mail has run out, and returns the fault the script has for this call, or null.
     */
    synchronized Fault callStarts(String path, String id) {
        Instant now = clock.instant();
        Instant until = waitAskedUntil.get(key(path, id));
        if (until != null && now.isBefore(until)) {
            violations.add("Retry-After not honoured: " + path + " was called for " + id + " at " + now
                    + ", before the wait it asked for ran out at " + until);
        }
        Deque<Fault> queue = faults.get(key(path, id));
        Fault fault = queue == null ? null : queue.poll();
        if (fault != null && fault.wholeCall()) {
            if (fault.kind() == Fault.Kind.RATE_LIMITED && fault.retryAfter() != null) {
                waitAskedUntil.merge(key(path, id), now.plus(fault.retryAfter()), (a, b) -> a.isAfter(b) ? a : b);
            } else if (fault.kind() == Fault.Kind.SLOW) {
                clock.advance(slowBy);
            }
        }
        return fault;
    }

    synchronized void received(String path, String mailId, List<String> recipients) {
        for (String r : recipients) {
            copies.add(new Copy(path, mailId, r, clock.instant()));
        }
    }

    synchronized void violation(String what) {
        violations.add(what);
    }

    synchronized List<Copy> copies() {
        return List.copyOf(copies);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private static String key(String path, String id) {
        return path + "/" + id;
    }
}
