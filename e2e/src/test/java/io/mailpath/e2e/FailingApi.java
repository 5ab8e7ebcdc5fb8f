package io.mailpath.e2e;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.mailpath.Mail;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mailtarget's API as the load test sees it: a WireMock response transformer, on the spec-checking stub, that answers
 * a fraction of transmissions with a fault picked at random (seeded) and the others with 200. It counts, per message
 * id ({@code metadata.mailpath_id}), the transmissions the API must be assumed to have accepted: those answered 200,
 * and those whose answer was lost after the whole request was read (a reset, a stall); a 503 accepted nothing.
 */
final class FailingApi implements ResponseDefinitionTransformerV2 {
    /** What one request got. */
    enum Answer {
        OK(true),
        /** HTTP 503: the API refused, nothing accepted. */
        UNAVAILABLE_503(false),
        /** The connection reset once the whole request was read: the API may have accepted it. */
        RESET_AFTER_REQUEST(true),
        /** No answer before the client's read timeout (a late 200): the API accepted it. */
        STALL(true);

        final boolean accepted;

        Answer(boolean accepted) {
            this.accepted = accepted;
        }
    }

    private final double faultRate;
    private final int stallMs;
    private final Random random;
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final Map<Answer, AtomicInteger> answers = new EnumMap<>(Answer.class);

    /**
     * @param faultRate the fraction of requests that fail, split evenly among the three faults
     * @param stallMs how long a stalled answer is held back: longer than the client's read timeout
     * @param seed the seed of the fault choice
     */
    FailingApi(double faultRate, int stallMs, long seed) {
        this.faultRate = faultRate;
        this.stallMs = stallMs;
        this.random = new Random(seed);
        for (Answer a : Answer.values()) {
            answers.put(a, new AtomicInteger());
        }
    }

    @Override
    public String getName() {
        return "failing-api";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String id = mailId(event.getRequest().getBodyAsString());
        Answer answer = next();
        answers.get(answer).incrementAndGet();
        if (answer.accepted) {
            // Counted before the answer goes out: once the API read the request, it may have accepted it.
            accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
        return switch (answer) {
            case OK -> ok(id).build();
            case UNAVAILABLE_503 -> ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"unavailable\",\"message\":\"try later\"}")
                    .build();
            case RESET_AFTER_REQUEST -> ResponseDefinitionBuilder.responseDefinition()
                    .withFault(Fault.CONNECTION_RESET_BY_PEER)
                    .build();
            case STALL -> ok(id).withFixedDelay(stallMs).build();
        };
    }

    private Answer next() {
        double r;
        synchronized (random) {
            r = random.nextDouble();
        }
        if (r >= faultRate) {
            return Answer.OK;
        }
        return Answer.values()[1 + (int) (r / faultRate * 3)];
    }

    private static ResponseDefinitionBuilder ok(String id) {
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"transmissionId\":\"tx-" + id + "\"}");
    }

    private static String mailId(String body) {
        JsonObject json = Json.createReader(new StringReader(body)).readObject();
        return json.getJsonObject("metadata").getString(Mail.ID_METADATA_KEY);
    }

    /** How many times the API accepted each message (or may have). */
    Map<String, Integer> acceptedCopies() {
        Map<String, Integer> copies = new ConcurrentHashMap<>();
        accepted.forEach((id, n) -> copies.put(id, n.get()));
        return copies;
    }

    /** How many requests got each answer. */
    int answered(Answer answer) {
        return answers.get(answer).get();
    }

    int requests() {
        return answers.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
