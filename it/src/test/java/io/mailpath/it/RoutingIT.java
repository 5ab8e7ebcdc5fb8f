package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URL;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @Inject MailTransport} on the server with the default failover policy, against real peers: what only a
 * server shows (its REST client, JSON-B, Jakarta Mail and Fault Tolerance doing the real transports' work). Routing
 * decisions alone are tested in the test JVM, in the routing module.
 */
@ExtendWith(ArquillianExtension.class)
class RoutingIT {
    static final String PATH = "/v1/layang/transmissions";

    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("routing", PEERS.config());
    }

    @BeforeEach
    void reset() {
        PEERS.reset();
        app = new MailApp(base);
    }

    @AfterEach
    void everyApiRequestMatchedTheSpec() {
        assertThat(PEERS.api.violations()).isEmpty();
    }

    private int apiCalls() {
        return PEERS.api.server.findAll(postRequestedFor(urlEqualTo(PATH))).size();
    }

    private static List<String> attempts(JsonObject json) {
        return json.getJsonArray("attempts").getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("transport") + ":" + a.getString("failure"))
                .toList();
    }

    @Test
    void theApiDeliversWhenItIsUp() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-it-1\"}");

        MailApp.Answer answer = app.send(MailApp.message("ann@example.org").with("meta.orderId", "42"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("api");
        assertThat(answer.json().getString("transmissionId")).isEqualTo("tx-it-1");
        assertThat(answer.json().getBoolean("failedOver")).isFalse();
        assertThat(attempts(answer.json())).containsExactly("api:NONE");
        assertThat(apiCalls()).isEqualTo(1);
        var request =
                PEERS.api.server.findAll(postRequestedFor(urlEqualTo(PATH))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TestPeers.API_KEY);
        assertThat(request.getBodyAsString()).contains("\"orderId\":\"42\"").contains("\"mailpath_id\"");
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void anUnavailableApiIsRetriedThenSmtpDelivers() throws Exception {
        PEERS.apiAnswers(503, "{\"error\":\"unavailable\",\"message\":\"try later\"}");

        MailApp.Answer answer = app.send(MailApp.message("bob@example.org"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("smtp");
        assertThat(answer.json().getBoolean("failedOver")).isTrue();
        assertThat(answer.json().getBoolean("possibleDuplicate")).isFalse();
        // The default @Retry: maxRetries=2, so three calls to the API.
        assertThat(apiCalls()).isEqualTo(3);
        assertThat(attempts(answer.json()))
                .containsExactly("api:UNAVAILABLE", "api:UNAVAILABLE", "api:UNAVAILABLE", "smtp:NONE");
        assertThat(PEERS.smtp.received).singleElement().satisfies(r -> {
            assertThat(r.recipients()).containsExactly("bob@example.org");
            assertThat(r.message().getMessageID()).isEqualTo(answer.json().getString("messageId"));
            assertThat(r.message().getHeader("X-Mailpath-Id", null))
                    .isEqualTo(answer.json().getString("mailId"));
        });
    }

    @Test
    void aRateLimitedApiIsWaitedForWhenRetryAfterFits() throws Exception {
        PEERS.api.server.stubFor(post(urlEqualTo(PATH))
                .inScenario("rate")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("free"));
        PEERS.api.server.stubFor(post(urlEqualTo(PATH))
                .inScenario("rate")
                .whenScenarioStateIs("free")
                .willReturn(okJson("{\"transmissionId\":\"tx-after-wait\"}")));

        long start = System.nanoTime();
        MailApp.Answer answer = app.send(MailApp.message("cy@example.org"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(answer.json().getString("transport")).isEqualTo("api");
        assertThat(answer.json().getString("transmissionId")).isEqualTo("tx-after-wait");
        assertThat(answer.json().getBoolean("failedOver")).isFalse();
        assertThat(attempts(answer.json())).containsExactly("api:RATE_LIMITED", "api:NONE");
        assertThat(tookMs).isGreaterThanOrEqualTo(1000);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void aRejectedMessageIsNeverSentThroughSmtp() throws Exception {
        PEERS.apiAnswers(400, "{\"error\":\"bad_request\",\"message\":\"from domain is not verified\"}");

        MailApp.Answer answer = app.send(MailApp.message("dee@example.org"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().getString("type")).isEqualTo("MailRejectedException");
        assertThat(answer.json().getInt("status")).isEqualTo(400);
        assertThat(answer.json().getString("message")).contains("from domain is not verified");
        assertThat(apiCalls()).isEqualTo(1);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void anAuthenticationFailureDoesNotFailOverByDefault() throws Exception {
        // Kept on the server: a 401 through the server's REST client, whose HTTP connector may treat an
        // authentication challenge its own way.
        PEERS.apiAnswers(401, "{\"error\":\"unauthorized\",\"message\":\"invalid api key\"}");

        MailApp.Answer answer = app.send(MailApp.message("eve@example.org"));

        assertThat(answer.json().getString("type")).isEqualTo("MailAuthenticationException");
        assertThat(answer.json().getInt("status")).isEqualTo(401);
        assertThat(answer.json().getString("message")).doesNotContain(TestPeers.API_KEY);
        assertThat(apiCalls()).isEqualTo(1);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void aReadTimeoutFailsOverAndMarksAPossibleDuplicate() throws Exception {
        PEERS.api.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(okJson("{\"transmissionId\":\"too-late\"}").withFixedDelay(20_000)));

        MailApp.Answer answer = app.send(MailApp.message("fay@example.org").with("id", "order-77"));

        assertThat(answer.json().getString("transport")).isEqualTo("smtp");
        assertThat(answer.json().getBoolean("failedOver")).isTrue();
        assertThat(answer.json().getBoolean("possibleDuplicate")).isTrue();
        assertThat(attempts(answer.json())).containsExactly("api:UNCERTAIN", "smtp:NONE");
        // The same stable id on both paths, so that the duplicate can be recognised.
        var request =
                PEERS.api.server.findAll(postRequestedFor(urlEqualTo(PATH))).get(0);
        assertThat(request.getBodyAsString()).contains("\"mailpath_id\":\"order-77\"");
        assertThat(PEERS.smtp.received.get(0).message().getHeader("X-Mailpath-Id", null))
                .isEqualTo("order-77");
    }

    @Test
    void whenBothPathsFailOneErrorListsEveryAttempt() throws Exception {
        // Kept on the server: the suite's only SMTP failure through the server's Jakarta Mail (421 to MAIL FROM),
        // retried by the server's Fault Tolerance.
        PEERS.apiAnswers(503, "{\"error\":\"unavailable\",\"message\":\"down\"}");
        PEERS.smtp.mailFromReply = 421;

        MailApp.Answer answer = app.send(MailApp.message("gus@example.org"));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().getString("type")).isEqualTo("MailUnavailableException");
        assertThat(answer.json().getString("kind")).isEqualTo("UNAVAILABLE");
        assertThat(attempts(answer.json()))
                .containsExactly(
                        "api:UNAVAILABLE",
                        "api:UNAVAILABLE",
                        "api:UNAVAILABLE",
                        "smtp:UNAVAILABLE",
                        "smtp:UNAVAILABLE");
        assertThat(answer.json().getJsonArray("attempts").getJsonObject(0).getInt("status"))
                .isEqualTo(503);
        assertThat(answer.json().getJsonArray("attempts").getJsonObject(3).getInt("status"))
                .isEqualTo(421);
        assertThat(answer.json().getString("message"))
                .contains("api: UNAVAILABLE 503")
                .contains("smtp: UNAVAILABLE 421");
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void sendAsyncCompletesOnAContainerThread() throws Exception {
        PEERS.api.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(okJson("{\"transmissionId\":\"tx-async\"}").withFixedDelay(500)));

        MailApp.Answer answer = app.send(MailApp.message("jo@example.org").with("via", "async"));

        assertThat(answer.json().getString("transmissionId")).isEqualTo("tx-async");
        assertThat(answer.json().getBoolean("doneOnReturn")).isFalse();
        // The send ran on a thread the container manages: not the request's, not the JDK's common pool.
        assertThat(answer.json().getString("sendingThread"))
                .doesNotStartWith("thread #-1")
                .doesNotStartWith(answer.json().getString("requestThread") + " #")
                .doesNotContain("ForkJoinPool");
    }

    @Test
    void aMessageSentInPartsGoesOutOnTheServersManagedExecutor() throws Exception {
        // Each answer takes a second: while the request's thread posts one part, the managed threads post the others.
        PEERS.api.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(okJson("{\"transmissionId\":\"tx-part\"}").withFixedDelay(1_000)));

        MailApp.Answer answer = app.send(MailApp.message("ann@example.org")
                .with("to", "bob@example.org")
                .with("to", "cy@example.org")
                .with("rcpt.ann@example.org", "Ann")
                .with("rcpt.bob@example.org", "Bob")
                .with("rcpt.cy@example.org", "Cy")
                .with("via", "fan-out"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("api");
        assertThat(apiCalls()).isEqualTo(3);
        String requestThread = answer.json().getString("requestThread");
        List<String> partThreads = answer.json().getJsonArray("partThreads").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
        // Jakarta Concurrency's default managed executor, not threads of the transport's own (its Java SE fallback).
        assertThat(partThreads)
                .hasSize(3)
                .noneMatch(name -> name.startsWith("mailpath-api-fan-out-"))
                .anyMatch(name -> !name.equals(requestThread));
    }

    @Test
    void oneTransportCanBeInjectedByQualifier() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"not-used\"}");

        MailApp.Answer answer = app.send(MailApp.message("kim@example.org").with("via", "smtp"));

        assertThat(answer.json().getString("transport")).isEqualTo("smtp");
        assertThat(answer.json().getBoolean("failedOver")).isFalse();
        assertThat(apiCalls()).isZero();
        assertThat(PEERS.smtp.received).hasSize(1);
    }
}
