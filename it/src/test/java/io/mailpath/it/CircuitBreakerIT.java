package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** After repeated failures the circuit opens and mail goes straight to SMTP without calling the API. */
@ExtendWith(ArquillianExtension.class)
class CircuitBreakerIT {
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = PEERS.config();
        String cb = "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/";
        config.put(cb + "enabled", "true");
        config.put(cb + "requestVolumeThreshold", "2");
        config.put(cb + "failureRatio", "1.0");
        config.put(cb + "delay", "60000");
        config.put("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "0");
        return Deployments.war("circuit", config);
    }

    @AfterAll
    static void stopPeers() {
        PEERS.close();
    }

    @Test
    void anOpenCircuitSendsStraightThroughSmtp() throws Exception {
        MailApp app = new MailApp(base);
        PEERS.api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .willReturn(aResponse().withStatus(503).withBody("{}")));

        app.send(MailApp.message("a@example.org"));
        app.send(MailApp.message("b@example.org"));
        int callsBefore = PEERS.api
                .server
                .findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH)))
                .size();
        MailApp.Answer third = app.send(MailApp.message("c@example.org"));

        assertThat(callsBefore).isEqualTo(2);
        assertThat(PEERS.api.server.findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH))))
                .hasSize(2);
        assertThat(third.json().getString("transport")).isEqualTo("smtp");
        JsonObject first = third.json().getJsonArray("attempts").getJsonObject(0);
        assertThat(first.getString("transport")).isEqualTo("api");
        assertThat(first.getString("detail")).contains("circuit breaker open");
        assertThat(PEERS.smtp.received).hasSize(3);
        assertThat(PEERS.api.violations()).isEmpty();
    }
}
