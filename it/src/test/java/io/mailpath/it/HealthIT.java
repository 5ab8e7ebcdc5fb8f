package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.TestSmtpServer;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An application that added the health jar: the server's {@code /health/ready}, read over HTTP as an orchestrator
 * does, has Mailpath's readiness check, UP while either path delivers, DOWN only once both the API and the SMTP relay
 * fail, and UP again as soon as one delivers.
 */
@ExtendWith(ArquillianExtension.class)
class HealthIT {
    static final TestPeers PEERS = new TestPeers();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    URL base;

    private MailApp app;

    /** What the health endpoint answered, and Mailpath's check within it. */
    private record Readiness(int httpStatus, String body, String status, JsonObject mailpath) {
        JsonObject data() {
            return mailpath.getJsonObject("data");
        }

        /** A figure of the data: a JSON number, or a string on Payara, which writes every data value as text. */
        long number(String key) {
            JsonValue value = data().get(key);
            if (value == null) {
                throw new AssertionError("no " + key + " in " + body);
            }
            return value instanceof JsonNumber n ? n.longValue() : Long.parseLong(((JsonString) value).getString());
        }
    }

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

    @AfterAll
    static void stopPeers() {
        PEERS.close();
    }

    /**
     * The readiness endpoint: on WildFly its management interface, elsewhere the HTTP port the application is served
     * on. MicroProfile Health answers 200 when UP and 503 when DOWN.
     */
    private Readiness readiness() throws Exception {
        int port = "wildfly".equals(System.getProperty("arquillian.launch"))
                ? Integer.parseInt(System.getProperty("wildfly.management.port"))
                : base.getPort();
        URI uri = new URI("http", null, "127.0.0.1", port, "/health/ready", null, null);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject json = Json.createReader(new StringReader(response.body())).readObject();
        JsonObject mailpath = json.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("mailpath"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mailpath check in " + response.body()));
        return new Readiness(response.statusCode(), response.body(), json.getString("status"), mailpath);
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
        assertThat(failedOver.data().getString("smtp.state")).isEqualTo("UP");
        assertThat(failedOver.data().containsKey("smtp.last-success")).isTrue();
        assertThat(failedOver.number("smtp.pool.open")).isEqualTo(1);

        // The relay fails too: no path can send.
        PEERS.smtp.mailFromReply = 421;
        assertThat(app.send(MailApp.message("bob@example.org")).json().getString("type"))
                .isEqualTo("MailFailoverException");
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
            assertThat(r.body()).doesNotContain(TestPeers.API_KEY).doesNotContain(TestSmtpServer.PASSWORD);
        }
    }
}
