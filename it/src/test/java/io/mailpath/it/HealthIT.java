package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.peers.TestSmtpServer;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application that added the health jar: the server's {@code /health/ready}, read over HTTP as an orchestrator
 * does, has Mailpath's readiness check, UP while either path delivers, DOWN only once both the API and the SMTP relay
 * fail, and UP again as soon as one delivers.
 */
@ExtendWith(ArquillianExtension.class)
class HealthIT {
    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Not "health": the context root would hide the server's own /health endpoints.
        return Deployments.withHealth("readiness", PEERS.config());
    }

    @BeforeEach
    void reset() {
        PEERS.reset();
        app = new MailApp(base);
    }

    private Readiness readiness() throws Exception {
        return Readiness.read(base);
    }

    @Test
    void readyUntilBothPathsFailThenReadyAgainOnceOneDelivers() throws Exception {
        Readiness fresh = readiness();
        assertThat(fresh.httpStatus()).isEqualTo(200);
        assertThat(fresh.mailpath().getString("status")).isEqualTo("UP");
        assertThat(fresh.data().getString("transports")).isEqualTo("api,smtp");
        assertThat(fresh.data().getString("api.state")).isEqualTo("UP");
        assertThat(fresh.data().getString("smtp.state")).isEqualTo("UP");
        assertThat(fresh.number("smtp.pool.max")).isPositive();

        // The API is down: mail fails over to SMTP, and the instance stays ready.
        PEERS.apiAnswers(503, "{\"error\":\"unavailable\",\"message\":\"try later\"}");
        assertThat(app.send(MailApp.message("ann@example.org")).json().getString("transport"))
                .isEqualTo("smtp");
        Readiness failedOver = readiness();
        assertThat(failedOver.httpStatus()).isEqualTo(200);
        assertThat(failedOver.status()).isEqualTo("UP");
        assertThat(failedOver.mailpath().getString("status")).isEqualTo("UP");
        assertThat(failedOver.data().getString("api.state")).isEqualTo("DOWN");
        assertThat(failedOver.data().getString("api.last-failure.kind")).isEqualTo("UNAVAILABLE");
        assertThat(failedOver.number("api.last-failure.status")).isEqualTo(503);
        // The server's own words (its error body) never reach the probe: they may quote recipients.
        assertThat(failedOver.data().getString("api.last-failure.reason")).isEqualTo("the server cannot take mail now");
        assertThat(failedOver.data().getString("api.state.cause")).isEqualTo("last-failure");
        assertThat(failedOver.data().getString("smtp.state")).isEqualTo("UP");
        assertThat(failedOver.data().containsKey("smtp.last-success")).isTrue();
        assertThat(failedOver.number("smtp.pool.open")).isEqualTo(1);

        // The relay fails too: no path can send.
        PEERS.smtp.mailFromReply = 421;
        assertThat(app.send(MailApp.message("bob@example.org")).json().getString("type"))
                .isEqualTo("MailUnavailableException");
        Readiness down = readiness();
        assertThat(down.httpStatus()).isEqualTo(503);
        assertThat(down.status()).isEqualTo("DOWN");
        assertThat(down.mailpath().getString("status")).isEqualTo("DOWN");
        assertThat(down.data().getString("smtp.state")).isEqualTo("DOWN");
        assertThat(down.number("smtp.last-failure.status")).isEqualTo(421);

        // The API is back while the relay still fails: one path is enough.
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-health-1\"}");
        assertThat(app.send(MailApp.message("cy@example.org")).json().getString("transport"))
                .isEqualTo("api");
        Readiness up = readiness();
        assertThat(up.httpStatus()).isEqualTo(200);
        assertThat(up.mailpath().getString("status")).isEqualTo("UP");
        assertThat(up.data().getString("api.state")).isEqualTo("UP");
        assertThat(up.data().getString("smtp.state")).isEqualTo("DOWN");

        for (Readiness r : new Readiness[] {fresh, failedOver, down, up}) {
            assertThat(r.body())
                    .doesNotContain(TestPeers.API_KEY)
                    .doesNotContain(TestSmtpServer.PASSWORD)
                    .doesNotContain("@example.org");
        }
    }
}
