package io.mailpath.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.eclipse.microprofile.config.Config;

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

    /** The streams whose API keys the stand-in tells apart, as the demo's configuration names them. */
    static final List<String> STREAMS = List.of("transactional", "marketing");

    private volatile Mode mode = Mode.OK;
    private volatile boolean marketingKeyRevoked;
    private final Deque<Request> received = new ConcurrentLinkedDeque<>();

    @Inject
    Config config;

    public Mode mode() {
        return mode;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Whether the marketing stream's key is revoked: Mailtarget then answers its requests 401. */
    public boolean marketingKeyRevoked() {
        return marketingKeyRevoked;
    }

    public void marketingKeyRevoked(boolean revoked) {
        this.marketingKeyRevoked = revoked;
    }

    /**
     * Whose key a request carries: a stream's name when it is that stream's {@code mailpath.stream.<name>.api.key},
     * else empty (the shared key, or another). Read per request, as Mailpath reads keys.
     */
    Optional<String> keyOwner(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        for (String stream : STREAMS) {
            Optional<String> key = config.getOptionalValue("mailpath.stream." + stream + ".api.key", String.class);
            if (key.isPresent() && authorization.equals("Bearer " + key.get())) {
                return Optional.of(stream);
            }
        }
        return Optional.empty();
    }

    /** Whether the request's key is one the stand-in no longer accepts. */
    boolean revoked(String authorization) {
        return marketingKeyRevoked
                && keyOwner(authorization).filter("marketing"::equals).isPresent();
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
