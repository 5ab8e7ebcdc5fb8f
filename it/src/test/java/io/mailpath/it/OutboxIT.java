package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
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
 * {@code @Inject MailOutbox} in a deployed application, on a Derby data source (Open Liberty's own; on WildFly and
 * Payara Micro, whose default data sources are H2, one the application defines in web.xml):
 * an enqueue inside a {@code UserTransaction} that commits goes out once, through the routed transport, right after
 * the commit; one that rolls back leaves no row and sends nothing. The relay's tick is an hour away, so each delivery
 * seen here was asked for by a commit.
 */
@ExtendWith(ArquillianExtension.class)
class OutboxIT {
    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = PEERS.config();
        // Open Liberty: its server.xml's <dataSource>; WildFly, Payara Micro: the one the application's web.xml
        // defines.
        config.put("mailpath.outbox.datasource", System.getProperty("it.outbox.datasource"));
        config.put("mailpath.outbox.relay.interval-ms", "3600000");
        return Deployments.withOutbox("outbox", config);
    }

    @BeforeEach
    void reset() {
        PEERS.reset();
        app = new MailApp(base);
    }

    private JsonObject enqueue(String id, String outcome) throws Exception {
        MailApp.Answer answer = app.post(
                "outbox/enqueue",
                MailApp.message("ann@example.org").with("id", id).with("outcome", outcome));
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private JsonObject entry(String id) throws Exception {
        return app.get("outbox/entry/" + id);
    }

    /** Waits, on a generous deadline, until the relay delivered the entry or gave it up. */
    private JsonObject awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonObject e = entry(id);
        while (e.getBoolean("present") && e.getString("state").equals("PENDING") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            e = entry(id);
        }
        return e;
    }

    private int apiCallsFor(String id) {
        return (int) PEERS.api.server.findAll(postRequestedFor(urlEqualTo(RoutingIT.PATH))).stream()
                .filter(r -> r.getBodyAsString().contains("\"mailpath_id\":\"" + id + "\""))
                .count();
    }

    @Test
    void anEnqueueThatCommitsIsSentOnceRightAfterTheCommit() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-outbox-1\"}");

        assertThat(enqueue("outbox-committed", "commit").getString("id")).isEqualTo("outbox-committed");

        JsonObject delivered = awaitFinished("outbox-committed");
        assertThat(delivered.getString("state")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("transport")).isEqualTo("api");
        assertThat(delivered.getInt("attempts")).isEqualTo(1);
        assertThat(apiCallsFor("outbox-committed")).isEqualTo(1);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void anEnqueueThatRollsBackLeavesNoRowAndSendsNothing() throws Exception {
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-outbox-2\"}");

        enqueue("outbox-rolled-back", "rollback");
        assertThat(entry("outbox-rolled-back").getBoolean("present")).isFalse();

        // A committed one after it is sent: the relay ran, and the rolled-back one was not there to send.
        enqueue("outbox-after-rollback", "commit");
        assertThat(awaitFinished("outbox-after-rollback").getString("state")).isEqualTo("DELIVERED");
        assertThat(apiCallsFor("outbox-rolled-back")).isZero();
        assertThat(apiCallsFor("outbox-after-rollback")).isEqualTo(1);
        assertThat(PEERS.smtp.received).isEmpty();
    }

    @Test
    void whenTheApiIsUnavailableTheRoutedTransportDeliversOnceThroughSmtp() throws Exception {
        PEERS.apiAnswers(503, "{\"error\":\"unavailable\",\"message\":\"try later\"}");

        enqueue("outbox-failed-over", "commit");

        JsonObject delivered = awaitFinished("outbox-failed-over");
        assertThat(delivered.getString("state")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("transport")).isEqualTo("smtp");
        assertThat(delivered.getInt("attempts")).isEqualTo(1);
        assertThat(PEERS.smtp.received).singleElement().satisfies(r -> assertThat(
                        r.message().getHeader("X-Mailpath-Id", null))
                .isEqualTo("outbox-failed-over"));
    }
}
