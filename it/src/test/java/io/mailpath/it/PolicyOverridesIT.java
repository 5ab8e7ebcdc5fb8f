package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The failover policy changed through configuration only: Mailpath's keys and MicroProfile Fault Tolerance's. */
@ExtendWith(ArquillianExtension.class)
class PolicyOverridesIT {
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = PEERS.config();
        config.put("mailpath.failover.on-authentication", "true");
        config.put("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "0");
        return Deployments.war("policy", config);
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

    @AfterAll
    static void stopPeers() {
        PEERS.close();
    }

    private void apiAnswers(int status) {
        PEERS.api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .willReturn(aResponse().withStatus(status).withBody("{\"error\":\"e\",\"message\":\"m\"}")));
    }

    private int apiCalls() {
        return PEERS.api
                .server
                .findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH)))
                .size();
    }

    @Test
    void withTheOptionOnAnAuthenticationFailureFailsOver() throws Exception {
        apiAnswers(401);

        MailApp.Answer answer = app.send(MailApp.message("lee@example.org"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("smtp");
        assertThat(answer.json().getBoolean("failedOver")).isTrue();
        assertThat(PEERS.smtp.received).hasSize(1);
    }

    @Test
    void maxRetriesZeroMeansOneCallBeforeFailover() throws Exception {
        apiAnswers(503);

        MailApp.Answer answer = app.send(MailApp.message("max@example.org"));

        assertThat(answer.json().getString("transport")).isEqualTo("smtp");
        assertThat(apiCalls()).isEqualTo(1);
        assertThat(answer.json().getJsonArray("attempts")).hasSize(2);
    }
}
