package io.mailpath.transport.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpExchange;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.LogCapture;
import io.mailpath.testing.peers.SpecCheckingStub;
import io.mailpath.testing.peers.TransmissionSpec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the API transport's tests share. Its static methods give a simple message and read JSON. Registered in a
 * static field ({@code @RegisterExtension static final ApiFixture api = new ApiFixture();}), it also starts a
 * {@link SpecCheckingStub} for each test, builds transports against it and closes them after the test, fails a test
 * whose requests break the spec, and checks after the class that the API key appeared in no log line, exception or
 * {@code toString()}.
 */
final class ApiFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final String PATH = TransmissionSpec.PATH;
    static final String KEY = "mt-key-5f1c2a9e7b3d4c60";
    static final String ROTATED_KEY = "mt-key-rotated-88aa21ff";

    private static final Set<String> HTTP_CLIENT_WIRE_LOGGERS =
            Set.of("org.apache.http.headers", "org.apache.http.wire");

    private LogCapture logs;
    private final List<String> errorTexts = new ArrayList<>();

    private SpecCheckingStub stub;
    private final List<DirectTransport> transports = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        logs = new LogCapture();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        logs.close();
        assertThat(logs.lines).isNotEmpty();
        // Every logger runs at ALL. The one exception allowed is Apache HttpClient's header logger (the engine of this
        // test's Rest Client implementation), which prints every header sent when its DEBUG level is switched on.
        assertThat(logs.lines).anySatisfy(l -> assertThat(l.logger()).startsWith("org.jboss.resteasy"));
        for (LogCapture.Line line : logs.lines) {
            if (!HTTP_CLIENT_WIRE_LOGGERS.contains(line.logger())) {
                assertThat(line.text()).as(line.logger()).doesNotContain(KEY).doesNotContain(ROTATED_KEY);
            }
        }
        for (String text : errorTexts) {
            assertThat(text).doesNotContain(KEY).doesNotContain(ROTATED_KEY);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        stub = new SpecCheckingStub();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        transports.forEach(DirectTransport::close);
        transports.clear();
        try {
            assertThat(stub.violations())
                    .as("requests that break the OpenAPI spec")
                    .isEmpty();
        } finally {
            stub.close();
        }
    }

    /** This test's stub. */
    SpecCheckingStub stub() {
        return stub;
    }

    /** This test's stub's server, to script answers and read what it received. */
    WireMockServer server() {
        return stub.server;
    }

    /** A configuration that sends to this test's stub with {@link #KEY}. */
    Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("mailpath.api.url", stub.url());
        c.put("mailpath.api.insecure-allow-http", "true");
        c.put("mailpath.api.key", KEY);
        // Long enough for a loaded machine; tests of the read timeout set their own.
        c.put("mailpath.api.read-timeout-ms", "15000");
        c.put("mailpath.api.connect-timeout-ms", "2000");
        return c;
    }

    /** Keeps a transport to close after the test and its {@code toString()} for the secret check. */
    DirectTransport track(DirectTransport t) {
        transports.add(t);
        errorTexts.add(t.toString());
        return t;
    }

    DirectTransport transport(Map<String, String> config) {
        return track(Transports.create("api", config));
    }

    DirectTransport transport() {
        return transport(config());
    }

    static Mail.Builder simple() {
        return Mail.builder()
                .from("sender@example.com")
                .to("rcpt@example.org")
                .subject("Hello")
                .text("Body");
    }

    /** Answers every transmission with this status and JSON body. */
    void answer(int status, String body) {
        stub.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** Accepts every transmission with this id. */
    void accept(String transmissionId) {
        stub.server.stubFor(
                post(urlEqualTo(PATH)).willReturn(okJson("{\"transmissionId\":\"" + transmissionId + "\"}")));
    }

    /** The body of the one transmission the stub received. */
    JsonObject onlyRequest() {
        List<LoggedRequest> requests = stub.server.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(requests).hasSize(1);
        return json(requests.get(0).getBodyAsString());
    }

    /** Answers an exchange of a plain JDK HTTP server as the API accepts a transmission: 200 with this id. */
    static void acceptExchange(HttpExchange exchange, String transmissionId) throws IOException {
        byte[] answer = ("{\"transmissionId\":\"" + transmissionId + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** Sends and expects a failure, keeping the failure's texts (and its causes') for the secret check. */
    MailException sendFailing(DirectTransport t, Mail mail) {
        try {
            t.send(mail);
        } catch (MailException e) {
            record(e);
            return e;
        }
        throw new AssertionError("the send did not fail");
    }

    /** Keeps a failure's texts (and its causes') for the secret check. */
    void record(MailException e) {
        errorTexts.add(e.toString());
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            errorTexts.add(c.toString());
        }
    }
}
