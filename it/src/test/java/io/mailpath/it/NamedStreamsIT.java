package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URL;
import java.util.List;
import java.util.Map;
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
 * Named streams on the server: an application that lists {@code transactional} (API, then SMTP) and {@code marketing}
 * (API only, on its own sending domain), each with its own API key, injects {@code @MailStream("transactional")} and
 * {@code @MailStream("marketing")} and sends through each. What only a server shows: its CDI finding the qualified
 * producer and the injection points, and the server's REST client sending each stream's own key.
 */
@ExtendWith(ArquillianExtension.class)
class NamedStreamsIT {
    static final String TRANSACTIONAL_KEY = "it-transactional-key-5be2a9c4";
    static final String MARKETING_KEY = "it-marketing-key-91f03d7a";
    static final String MARKETING_DOMAIN = "news.example.com";

    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = PEERS.config();
        config.put("mailpath.streams", "transactional,marketing");
        config.put("mailpath.stream.transactional.transports", "api,smtp");
        config.put("mailpath.stream.transactional.api.key", TRANSACTIONAL_KEY);
        config.put("mailpath.stream.marketing.transports", "api");
        config.put("mailpath.stream.marketing.api.key", MARKETING_KEY);
        config.put("mailpath.stream.marketing.from-domains", MARKETING_DOMAIN);
        // Marketing has no second path, so a slow first request of a fresh deployment on a busy machine (seen at 9 s)
        // would fail its send as uncertain: a read timeout far above that, which no test here waits for.
        config.put("mailpath.api.read-timeout-ms", "30000");
        // The named streams' primary is PrimaryPath.sendInStream: the same fast retries as the unnamed stream's.
        config.put("io.mailpath.routing.PrimaryPath/sendInStream/Retry/delay", "50");
        config.put("io.mailpath.routing.PrimaryPath/sendInStream/Retry/jitter", "0");
        return Deployments.withStreams("streams", config);
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

    private static List<LoggedRequest> apiRequests() {
        return PEERS.api.server.findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH)));
    }

    private MailApp.Answer send(String stream, MailApp.Form form) throws Exception {
        return app.post("streams/" + stream + "/send", form);
    }

    private static MailApp.Form marketingMessage(String to) {
        return MailApp.message(to).without("from").with("from", "offers@" + MARKETING_DOMAIN);
    }

    private static List<String> attempts(JsonObject json) {
        return json.getJsonArray("attempts").getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("transport") + ":" + a.getString("failure"))
                .toList();
    }

    /** The request's {@code mailpath_stream} metadata when the API transport sends it; else the expected value. */
    private static String streamMetadataOr(LoggedRequest request, String expected) {
        JsonObject body =
                Json.createReader(new StringReader(request.getBodyAsString())).readObject();
        JsonObject metadata = body.getJsonObject("metadata");
        return metadata == null ? expected : metadata.getString("mailpath_stream", expected);
    }

    @Test
    void eachStreamSendsThroughTheApiWithItsOwnKey() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-stream\"}");

        MailApp.Answer transactional = send("transactional", MailApp.message("ann@example.org"));
        MailApp.Answer marketing = send("marketing", marketingMessage("bob@example.org"));
        MailApp.Answer unnamed = app.send(MailApp.message("cy@example.org"));

        assertThat(transactional.status()).isEqualTo(200);
        assertThat(transactional.json().getString("injected")).isEqualTo("MailTransport[stream transactional]");
        assertThat(transactional.json().getString("stream")).isEqualTo("transactional");
        assertThat(transactional.json().getString("transport")).isEqualTo("api");
        assertThat(marketing.status()).isEqualTo(200);
        assertThat(marketing.json().getString("injected")).isEqualTo("MailTransport[stream marketing]");
        assertThat(marketing.json().getString("stream")).isEqualTo("marketing");
        assertThat(marketing.json().getString("transport")).isEqualTo("api");
        // The plain @Inject MailTransport is the unnamed stream, on the shared key, as before streams.
        assertThat(unnamed.json().getString("stream")).isEqualTo("default");

        List<LoggedRequest> requests = apiRequests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer " + TRANSACTIONAL_KEY);
        assertThat(requests.get(0).getBodyAsString()).contains("ann@example.org");
        assertThat(streamMetadataOr(requests.get(0), "transactional")).isEqualTo("transactional");
        assertThat(requests.get(1).getHeader("Authorization")).isEqualTo("Bearer " + MARKETING_KEY);
        assertThat(requests.get(1).getBodyAsString()).contains("bob@example.org");
        assertThat(streamMetadataOr(requests.get(1), "marketing")).isEqualTo("marketing");
        assertThat(requests.get(2).getHeader("Authorization")).isEqualTo("Bearer " + TestPeers.API_KEY);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void aRevokedMarketingKeyFailsMarketingOnlyWhileTransactionalMailGoesThroughTheApi() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-transactional\"}");
        // Added last, so it wins for the requests it matches: the marketing key is revoked.
        PEERS.api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .withHeader("Authorization", equalTo("Bearer " + MARKETING_KEY))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"unauthorized\",\"message\":\"invalid api key\"}")));

        MailApp.Answer marketing = send("marketing", marketingMessage("dee@example.org"));
        MailApp.Answer transactional = send("transactional", MailApp.message("eve@example.org"));

        assertThat(marketing.status()).isEqualTo(422);
        assertThat(marketing.json().getString("type")).isEqualTo("MailAuthenticationException");
        assertThat(marketing.json().getString("kind")).isEqualTo("AUTHENTICATION");
        assertThat(marketing.json().getInt("status")).isEqualTo(401);
        assertThat(marketing.json().getString("message")).doesNotContain(MARKETING_KEY);

        assertThat(transactional.status()).isEqualTo(200);
        assertThat(transactional.json().getString("stream")).isEqualTo("transactional");
        assertThat(transactional.json().getString("transport")).isEqualTo("api");
        assertThat(transactional.json().getString("transmissionId")).isEqualTo("tx-transactional");
        assertThat(transactional.json().getBoolean("failedOver")).isFalse();
        assertThat(attempts(transactional.json())).containsExactly("api:NONE");

        // One call each: an authentication failure is not retried, and marketing has no other path.
        assertThat(apiRequests())
                .extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer " + MARKETING_KEY, "Bearer " + TRANSACTIONAL_KEY);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void marketingRefusesMailFromOutsideItsSendingDomain() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-domain\"}");

        MailApp.Answer refused = send("marketing", MailApp.message("fay@example.org"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().getString("type")).isEqualTo("SendingDomainException");
        assertThat(refused.json().getString("kind")).isEqualTo("REJECTED");
        assertThat(refused.json().getString("stream")).isEqualTo("marketing");
        assertThat(refused.json().getString("domain")).isEqualTo("example.com");
        assertThat(refused.json().getString("message")).contains(MARKETING_DOMAIN);
        assertThat(apiRequests()).isEmpty();
        assertThat(PEERS.smtp.received).isEmpty();

        // The domain is matched whatever its case; the transactional stream has no domain list and sends the first.
        MailApp.Answer sameDomainOtherCase = send(
                "marketing",
                MailApp.message("gus@example.org").without("from").with("from", "offers@News.Example.COM"));
        MailApp.Answer transactional = send("transactional", MailApp.message("fay@example.org"));
        assertThat(sameDomainOtherCase.json().getString("transport", null))
                .as(sameDomainOtherCase.json().toString())
                .isEqualTo("api");
        assertThat(transactional.json().getString("transport", null))
                .as(transactional.json().toString())
                .isEqualTo("api");
        assertThat(apiRequests()).hasSize(2);
    }
}
