package io.mailpath.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import io.mailpath.testing.peers.SpecCheckingStub;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real peers the deployed application talks to, running in the test JVM on loopback: Mailtarget's API as a
 * spec-checking WireMock stub, and an SMTP relay with STARTTLS and AUTH. Each test class starts its own, in a
 * {@code @RegisterExtension} static field, which stops them after the class's tests.
 */
final class TestPeers implements AutoCloseable, AfterAllCallback {
    static final String API_KEY = "it-api-key-7c1d0e55";

    final TestTls tls;
    final TestSmtpServer smtp;
    final SpecCheckingStub api;

    TestPeers() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "it-tls"));
            tls = TestTls.create(dir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        smtp = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true);
        api = new SpecCheckingStub();
    }

    /** The configuration that points the deployed application at these peers, with fast Fault Tolerance delays. */
    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("mailpath.transports", "api,smtp");
        c.put("mailpath.api.url", api.url());
        c.put("mailpath.api.insecure-allow-http", "true");
        c.put("mailpath.api.key", API_KEY);
        // Long enough for a fresh deployment's first request on a busy machine; the read-timeout test's stub answers
        // far later still.
        c.put("mailpath.api.read-timeout-ms", "8000");
        c.put("mailpath.smtp.host", "127.0.0.1");
        c.put("mailpath.smtp.port", String.valueOf(smtp.port()));
        c.put("mailpath.smtp.username", TestSmtpServer.USER);
        c.put("mailpath.smtp.password", TestSmtpServer.PASSWORD);
        c.put("mailpath.smtp.trust-store", tls.trustStore.toAbsolutePath().toString());
        c.put("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
        c.put("mailpath.smtp.read-timeout-ms", "15000");
        // Tests share one deployment; the circuit breaker has its own test with its own deployment.
        c.put("io.mailpath.routing.PrimaryPath/send/CircuitBreaker/enabled", "false");
        c.put("io.mailpath.routing.PrimaryPath/send/Retry/delay", "50");
        c.put("io.mailpath.routing.PrimaryPath/send/Retry/jitter", "0");
        c.put("io.mailpath.routing.SecondaryPath/send/Retry/delay", "50");
        c.put("io.mailpath.routing.SecondaryPath/send/Retry/jitter", "0");
        return c;
    }

    /** Makes the API stand-in answer every send with this status and JSON body. */
    void apiAnswers(int status, String body) {
        api.server.stubFor(post(urlEqualTo(RoutingIT.PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** Forgets what the peers received and how they were told to answer. */
    void reset() {
        api.server.resetAll();
        api.clearViolations();
        smtp.received.clear();
        smtp.rcptReplies.clear();
        smtp.mailFromReply = 0;
        smtp.dataReply = 0;
        smtp.dataDelayMs = 0;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        api.close();
        smtp.close();
    }
}
