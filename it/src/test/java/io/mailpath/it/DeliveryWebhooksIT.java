package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mailpath.it.MailtargetWebhooks.basic;
import static io.mailpath.it.MailtargetWebhooks.batch;
import static io.mailpath.it.MailtargetWebhooks.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.it.webhooks.DeliveryEventLog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application that added only the webhooks jar and its keys receives Mailtarget's batches, posted over real HTTP,
 * as correlated CDI events; it refuses wrong credentials and bad bodies, and drops what it already delivered. (Named
 * to run before SecretsSweepIT, which reads the logs it made the server write.)
 */
@ExtendWith(ArquillianExtension.class)
class DeliveryWebhooksIT {
    static final String USER = "mailtarget-hook";
    static final String PASSWORD = "it-hook-password-93b1f0d2";
    static final int MAX_BYTES = 65_536;

    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    private MailApp app;

    private MailtargetWebhooks hooks;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withWebhooks("webhooks", config());
    }

    static Map<String, String> config() {
        Map<String, String> config = PEERS.config();
        config.put("mailpath.webhooks.username", USER);
        config.put("mailpath.webhooks.password", PASSWORD);
        config.put("mailpath.webhooks.max-bytes", String.valueOf(MAX_BYTES));
        return config;
    }

    @BeforeEach
    void reset() throws Exception {
        PEERS.reset();
        app = new MailApp(base);
        hooks = new MailtargetWebhooks(base, USER, PASSWORD);
        app.delete("webhook-events");
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private List<JsonObject> observed() throws Exception {
        return app.get("webhook-events").getJsonArray("observed").getValuesAs(JsonObject.class);
    }

    /** The events the asynchronous observer got, once there are {@code count} (they come after the answer). */
    private List<JsonObject> observedAsync(int count) throws Exception {
        List<JsonObject> events = new ArrayList<>();
        for (int i = 0; i < 600 && events.size() < count; i++) {
            events = app.get("webhook-events").getJsonArray("observedAsync").getValuesAs(JsonObject.class);
            if (events.size() < count) {
                Thread.sleep(100);
            }
        }
        return events;
    }

    private static List<String> ids(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("eventId")).toList();
    }

    @Test
    void aSentMessagesEventsArriveCorrelatedToIt() throws Exception {
        PEERS.api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"transmissionId\":\"tx-webhooks\"}")));
        MailApp.Answer sent = app.send(MailApp.message("ann@example.org").with("meta.orderId", "42"));
        assertThat(sent.status()).isEqualTo(200);
        String mailId = sent.json().getString("mailId");
        // Mailtarget hands the transmission's metadata back in each event's recipientMeta, as a JSON string.
        String metadata = json(PEERS.api
                        .server
                        .findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH)))
                        .get(0)
                        .getBodyAsString())
                .getJsonObject("metadata")
                .toString();

        HttpResponse<String> answer = hooks.post(batch(
                "b-sent",
                0,
                event("sent-1", "Injection", "ann@example.org", metadata),
                event("sent-2", "Delivery", "ann@example.org", metadata),
                event("sent-3", "hard_bounce", "ann@example.org", metadata)));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).getInt("delivered")).isEqualTo(3);
        List<JsonObject> observed = observed();
        assertThat(observed).extracting(e -> e.getString("type")).containsExactly("INJECTED", "DELIVERED", "BOUNCED");
        assertThat(observed.get(2).getString("bounce")).isEqualTo("HARD");
        assertThat(observed.get(2).getString("status")).isEqualTo("hard_bounce");
        assertThat(observed).allSatisfy(e -> {
            assertThat(e.getString("mailpathId")).isEqualTo(mailId);
            assertThat(e.getString("transmissionId")).isEqualTo(sent.json().getString("transmissionId"));
            assertThat(e.getString("recipient")).isEqualTo("ann@example.org");
            assertThat(e.getString("batchId")).isEqualTo("b-sent");
            assertThat(e.getJsonObject("metadata").getString("orderId")).isEqualTo("42");
            assertThat(e.getJsonObject("raw").getString("mailboxProvider")).isEqualTo("Gmail");
        });
        assertThat(ids(observedAsync(3))).containsExactlyInAnyOrder("sent-1", "sent-2", "sent-3");
    }

    @Test
    void aRepostedBatchIsDropped() throws Exception {
        String first = batch(
                "b-repost",
                0,
                event("repost-1", "Delivery", "bob@example.org", "{\"mailpath_id\":\"m-repost\"}"),
                event("repost-2", "Open", "bob@example.org", "{\"mailpath_id\":\"m-repost\"}"));
        assertThat(hooks.post(first).statusCode()).isEqualTo(200);

        HttpResponse<String> again = hooks.post(first.replace("\"retryCount\":0", "\"retryCount\":1"));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again.body()).getInt("duplicates")).isEqualTo(2);
        assertThat(ids(observed())).containsExactly("repost-1", "repost-2");
    }

    @Test
    void aFailingObserverMakesMailtargetSendTheBatchAgain() throws Exception {
        String batch = batch(
                "b-retry",
                0,
                event("retry-1", "Delivery", "carol@example.org", "{}"),
                event("retry-2", "Delivery", DeliveryEventLog.FAILS_ONCE, "{}"),
                event("retry-3", "Click", "carol@example.org", "{}"));

        HttpResponse<String> first = hooks.post(batch);
        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(ids(observed())).containsExactly("retry-1", "retry-3");

        HttpResponse<String> retried = hooks.post(batch.replace("\"retryCount\":0", "\"retryCount\":1"));

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried.body()).getInt("delivered")).isEqualTo(1);
        assertThat(json(retried.body()).getInt("duplicates")).isEqualTo(2);
        assertThat(observed())
                .extracting(e -> e.getString("eventId") + "#" + e.getInt("retryCount"))
                .containsExactly("retry-1#0", "retry-3#0", "retry-2#1");
    }

    @Test
    void wrongCredentialsAre401() throws Exception {
        String batch = batch("b-auth", 0, event("auth-1", "Delivery", "dan@example.org", "{}"));
        List<HttpRequest.Builder> requests = List.of(
                hooks.request().header("Authorization", basic(USER, "wrong-password")),
                hooks.request().header("Authorization", basic("someone-else", PASSWORD)),
                hooks.request().header("Authorization", "Bearer " + PASSWORD),
                hooks.request());

        for (HttpRequest.Builder request : requests) {
            HttpResponse<String> answer =
                    MailtargetWebhooks.send(request.POST(HttpRequest.BodyPublishers.ofString(batch)));

            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertThat(observed()).isEmpty();
    }

    @Test
    void aMalformedBodyIs400() throws Exception {
        for (String body : List.of("{\"events\": [", "not json", "{\"events\": \"none\"}")) {
            assertThat(hooks.post(body).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(observed()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredOrStreamed() throws Exception {
        String tooLarge = batch(
                "b-large",
                0,
                event("large-1", "Delivery", "eve@example.org", "{\"pad\":\"" + "x".repeat(MAX_BYTES) + "\"}"));

        HttpResponse<String> declared = hooks.post(tooLarge);
        HttpResponse<String> streamed = MailtargetWebhooks.send(hooks.request()
                .header("Authorization", basic(USER, PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(tooLarge.getBytes(StandardCharsets.UTF_8)))));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(observed()).isEmpty();
    }
}
