package io.mailpath.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import io.mailpath.Mail;
import io.mailpath.testing.peers.SpecCheckingStub;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Mailtarget's API for one server of the cluster: the test kit's spec-checking stand-in, answering 200 with a
 * transmission id after a small delay (so that sends are in flight when a server is killed), and counting every
 * request's {@code mailpath_id}. One per server, so that the counts say which server sent what.
 */
final class ApiStandIn implements AutoCloseable {
    static final String PATH = "/v1/layang/transmissions";
    /** The transmission id of an answer held back by {@link #holdFromNow()}. */
    private static final String HELD = "tx-held";

    final SpecCheckingStub stub;
    /** How many requests carried each {@code mailpath_id}. */
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    private final AtomicReference<String> firstHeld = new AtomicReference<>();

    ApiStandIn(int delayMs) {
        // No request journal: the counts below are all the test needs, for tens of thousands of requests.
        stub = new SpecCheckingStub(o -> o.disableRequestJournal());
        stub.server.addMockServiceRequestListener((request, response) -> {
            String id = mailpathId(request.getBodyAsString());
            received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (response.getBodyAsString().contains(HELD)) {
                firstHeld.compareAndSet(null, id);
            }
        });
        stub.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"transmissionId\":\"tx-cluster\",\"message\":\"Transmission received\"}")
                        .withFixedDelay(delayMs)));
    }

    /** Answers 400 to the message with this id, as the API does for a message it refuses. */
    void rejects(String id) {
        stub.server.stubFor(post(urlEqualTo(PATH))
                .atPriority(1)
                .withRequestBody(containing("\"" + Mail.ID_METADATA_KEY + "\":\"" + id + "\""))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"bad_request\",\"message\":\"from domain is not verified\"}")));
    }

    /**
     * From now on, takes every request and answers only minutes later: the message is accepted (counted here), and the
     * sender waits for an answer it will not get before the test is done with it.
     */
    void holdFromNow() {
        stub.server.stubFor(post(urlEqualTo(PATH))
                .atPriority(2)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"transmissionId\":\"" + HELD + "\"}")
                        .withFixedDelay((int) Duration.ofMinutes(5).toMillis())));
    }

    /** The id of the first message whose answer {@link #holdFromNow()} held back, or null before one came. */
    String firstHeld() {
        return firstHeld.get();
    }

    String url() {
        return stub.url();
    }

    int count(String id) {
        AtomicInteger n = received.get(id);
        return n == null ? 0 : n.get();
    }

    /** The message's id: {@code mailpath_id} in the request's metadata. */
    private static String mailpathId(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonObject metadata = reader.readObject().getJsonObject("metadata");
            if (metadata != null && metadata.containsKey(Mail.ID_METADATA_KEY)) {
                return metadata.getString(Mail.ID_METADATA_KEY);
            }
        } catch (RuntimeException e) {
            return "unreadable request: " + e;
        }
        return "no " + Mail.ID_METADATA_KEY;
    }

    @Override
    public void close() {
        stub.close();
    }
}
