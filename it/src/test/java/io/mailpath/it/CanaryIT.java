package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mailpath.it.MailtargetWebhooks.batch;
import static io.mailpath.it.MailtargetWebhooks.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.health.canary.Canary;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application with the health and webhooks jars and the canary configured through the API alone: on the server's
 * managed scheduler the canary sends through the API stub every few seconds; the one whose delivery event the test
 * posts to the receiver, as Mailtarget would, shows as delivered in the readiness data and as a CanaryDelivered event;
 * the others, never delivered, are missed once their window passes, and the instance stays ready.
 */
@ExtendWith(ArquillianExtension.class)
class CanaryIT {
    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    static final String SEED = "seed@example.org";

    /**
     * Long enough for a delivery event posted right after the send to arrive (normally well under a second); short,
     * because the missed canary needs the whole window. On a machine so busy that the event comes later, that canary
     * is missed and the delivered test tries the next one (it sends every two seconds).
     */
    static final Duration WINDOW = Duration.ofSeconds(15);

    /** How long the test waits for what the canary should see: a missed canary needs the whole window first. */
    static final Duration DEADLINE = WINDOW.plus(Duration.ofSeconds(120));

    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Before the deployment: the first canary goes out one interval after the application starts.
        PEERS.api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"transmissionId\":\"tx-canary\"}")));
        Map<String, String> config = PEERS.config();
        config.put("mailpath.webhooks.username", DeliveryWebhooksIT.USER);
        config.put("mailpath.webhooks.password", DeliveryWebhooksIT.PASSWORD);
        config.put("mailpath.canary.to", SEED);
        config.put("mailpath.canary.from", "canary@example.com");
        config.put("mailpath.canary.interval-ms", "2000");
        config.put("mailpath.canary.delivery-window-ms", String.valueOf(WINDOW.toMillis()));
        config.put("mailpath.canary.paths", "api");
        return Deployments.withHealthAndWebhooks("canary", config);
    }

    @BeforeEach
    void connect() {
        // No reset: the canary keeps sending through the stub, which must keep accepting.
        app = new MailApp(base);
    }

    @Test
    void aCanaryWhoseDeliveryEventArrivesShowsDelivered() throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String canaryId;
        Readiness delivered;
        int attempt = 0;
        do {
            attempt++;
            canaryId = deliverTheLastCanarySent(attempt);
            String id = canaryId;
            // Either it shows delivered, or (its event came after the window, on a very busy machine) missed.
            delivered = until(
                    "the canary " + id + " delivered or missed",
                    r -> id.equals(r.text("api.canary.last-delivered.id"))
                            || observedNow(id, "sync").contains("CanaryMissed"));
        } while (!canaryId.equals(delivered.text("api.canary.last-delivered.id"))
                && Instant.now().isBefore(deadline));

        assertThat(delivered.text("api.canary.last-delivered.id"))
                .as("a canary whose delivery event arrived within its window, after " + attempt + " attempt(s)")
                .isEqualTo(canaryId);
        assertThat(delivered.httpStatus()).isEqualTo(200);
        assertThat(delivered.mailpath().getString("status")).isEqualTo("UP");
        assertThat(delivered.text("api.canary.last-delivered")).isNotNull();
        assertThat(canaryEvents(canaryId, "sync", 1)).containsExactly("CanaryDelivered");
        assertThat(canaryEvents(canaryId, "async", 1)).containsExactly("CanaryDelivered");
        assertThat(PEERS.api.violations()).isEmpty();
    }

    @Test
    void aCanaryWithoutDeliveryEventIsMissedAndTheInstanceStaysReady() throws Exception {
        Readiness missed = until("a canary missed", r -> r.text("api.canary.last-missed.id") != null);

        assertThat(missed.httpStatus()).isEqualTo(200);
        assertThat(missed.status()).isEqualTo("UP");
        assertThat(missed.mailpath().getString("status")).isEqualTo("UP");
        assertThat(missed.data().getString("api.state")).isEqualTo("UP");
        assertThat(missed.text("api.canary.last-missed")).isNotNull();
        String canaryId = missed.text("api.canary.last-missed.id");
        assertThat(canaryId).startsWith(Canary.ID_PREFIX);
        // The API accepted it: it was missed for want of its delivery event, not for a failed send.
        assertThat(metadataSentFor(canaryId).getString(Canary.METADATA_KEY)).isEqualTo("api");
        assertThat(canaryEvents(canaryId, "sync", 1)).containsExactly("CanaryMissed");
        assertThat(canaryEvents(canaryId, "async", 1)).containsExactly("CanaryMissed");
        assertThat(missed.body()).doesNotContain(TestPeers.API_KEY).doesNotContain(DeliveryWebhooksIT.PASSWORD);
    }

    /** Posts Mailtarget's delivery event for the canary sent last, carrying its metadata back, as for any message. */
    private String deliverTheLastCanarySent(int attempt) throws Exception {
        Readiness sent = until("a canary sent through the API", r -> r.text("api.canary.last-sent.id") != null);
        assertThat(sent.flag("api.canary.delivery-tracked")).isTrue();
        String canaryId = sent.text("api.canary.last-sent.id");
        assertThat(canaryId).startsWith(Canary.ID_PREFIX);
        JsonObject metadata = metadataSentFor(canaryId);
        assertThat(metadata.getString(Canary.METADATA_KEY)).isEqualTo("api");
        HttpResponse<String> answer = new MailtargetWebhooks(base, DeliveryWebhooksIT.USER, DeliveryWebhooksIT.PASSWORD)
                .post(batch(
                        "b-canary-" + attempt,
                        0,
                        event("canary-delivery-" + attempt, "Delivery", SEED, metadata.toString())));
        assertThat(answer.statusCode()).isEqualTo(200);
        return canaryId;
    }

    /** Reads the readiness endpoint until the condition holds; the deadline is generous, for a busy machine. */
    private Readiness until(String what, Predicate<Readiness> condition) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        Readiness readiness = Readiness.read(base);
        while (!condition.test(readiness)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + what + " within " + DEADLINE + ": " + readiness.body());
            }
            Thread.sleep(500);
            readiness = Readiness.read(base);
        }
        return readiness;
    }

    /** The metadata of the transmission the API stub received for this mail id. */
    private static JsonObject metadataSentFor(String mailId) {
        List<JsonObject> metadata = PEERS.api.server.findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH))).stream()
                .map(request -> Json.createReader(new StringReader(request.getBodyAsString()))
                        .readObject()
                        .getJsonObject("metadata"))
                .filter(m -> mailId.equals(m.getString(Mail.ID_METADATA_KEY, null)))
                .toList();
        assertThat(metadata).as("transmissions the API received for " + mailId).hasSize(1);
        return metadata.get(0);
    }

    /**
     * The canary events the application's observers got for this mail id, once there are {@code count}: the
     * asynchronous ones come after the readiness data shows the outcome.
     */
    private List<String> canaryEvents(String mailId, String kind, int count) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        List<String> events = observed(mailId, kind);
        while (events.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            events = observed(mailId, kind);
        }
        return events;
    }

    private List<String> observedNow(String mailId, String kind) {
        try {
            return observed(mailId, kind);
        } catch (Exception e) {
            throw new IllegalStateException("reading the application's events for " + mailId, e);
        }
    }

    private List<String> observed(String mailId, String kind) throws Exception {
        return app.get("mail/events/" + mailId).getJsonArray(kind).getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }
}
