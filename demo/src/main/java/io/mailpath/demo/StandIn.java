package io.mailpath.demo;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** The state of the stand-in for Mailtarget's API: how it answers, and what it received. */
@ApplicationScoped
public class StandIn {
    /** How the stand-in answers. */
    public enum Mode {
        OK,
        UNAVAILABLE_503,
        RATE_LIMITED_429,
        TIMEOUT,
        BAD_REQUEST_400
    }

    /**
     * One request as received.
     *
     * @param canary whether Mailpath's canary sent it (the page counts those rather than listing them)
     */
    public record Request(Instant at, Mode mode, int status, String authorization, String body, boolean canary) {}

    private static final int KEEP = 50;

    private volatile Mode mode = Mode.OK;
    private final Deque<Request> received = new ConcurrentLinkedDeque<>();

    public Mode mode() {
        return mode;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    void record(Request r) {
        received.addFirst(r);
        while (received.size() > KEEP) {
            received.pollLast();
        }
    }

    public List<Request> received() {
        return new ArrayList<>(received);
    }

    public void clear() {
        received.clear();
    }
}
