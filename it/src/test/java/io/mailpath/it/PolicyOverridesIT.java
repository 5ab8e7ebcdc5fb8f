package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failover policy changed through configuration only: MicroProfile Fault Tolerance's standard keys, read by the
 * server's Fault Tolerance. No retries, and a circuit that opens after two failures, so that mail then goes straight
 * to SMTP without calling the API.
 */
@ExtendWith(ArquillianExtension.class)
class PolicyOverridesIT {
    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = PEERS.config();
        config.put("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "0");
        String cb = "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/";
        config.put(cb + "enabled", "true");
        config.put(cb + "requestVolumeThreshold", "2");
        config.put(cb + "failureRatio", "1.0");
        config.put(cb + "delay", "60000");
        return Deployments.war("policy", config);
    }

    private static int apiCalls() {
        return PEERS.api
                .server
                .findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH)))
                .size();
    }

    private static List<String> attempts(JsonObject json) {
        return json.getJsonArray("attempts").getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("transport") + ":" + a.getString("failure"))
                .toList();
    }

    @Test
    void withoutRetriesTheCircuitOpensAndMailGoesStraightThroughSmtp() throws Exception {
        MailApp app = new MailApp(base);
        PEERS.api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"e\",\"message\":\"m\"}")));

        // maxRetries=0: one call to the API, then SMTP.
        MailApp.Answer first = app.send(MailApp.message("a@example.org"));
        assertThat(first.json().getString("transport")).isEqualTo("smtp");
        assertThat(attempts(first.json())).containsExactly("api:UNAVAILABLE", "smtp:NONE");
        assertThat(apiCalls()).isEqualTo(1);

        app.send(MailApp.message("b@example.org"));
        assertThat(apiCalls()).isEqualTo(2);

        // Two failures in two calls: the circuit is open, the API is not called.
        MailApp.Answer third = app.send(MailApp.message("c@example.org"));
        assertThat(apiCalls()).isEqualTo(2);
        assertThat(third.json().getString("transport")).isEqualTo("smtp");
        JsonObject skipped = third.json().getJsonArray("attempts").getJsonObject(0);
        assertThat(skipped.getString("transport")).isEqualTo("api");
        assertThat(skipped.getString("detail")).contains("circuit breaker open");
        assertThat(PEERS.smtp.received).hasSize(3);
        assertThat(PEERS.api.violations()).isEmpty();
    }
}
