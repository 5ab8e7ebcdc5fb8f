package io.mailpath.mailtarget;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mailpath.Attachment;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.SendReceipt;
import io.mailpath.TrackingOptions;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.Transports;
import io.mailpath.testing.LiveConfigSource;
import io.mailpath.testing.LogCapture;
import io.mailpath.testing.SpecCheckingStub;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API transport against a real HTTP server on loopback that checks every request against the OpenAPI spec. */
class ApiTransportTest {
    private static final String PATH = "/v1/layang/transmissions";
    private static final String KEY = "mt-key-5f1c2a9e7b3d4c60";
    private static final String ROTATED_KEY = "mt-key-rotated-88aa21ff";

    private static final Set<String> HTTP_CLIENT_WIRE_LOGGERS =
            Set.of("org.apache.http.headers", "org.apache.http.wire");

    private static LogCapture logs;
    private static final List<String> errorTexts = new ArrayList<>();

    private SpecCheckingStub stub;
    private final List<DirectTransport> transports = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        logs = new LogCapture();
    }

    @AfterAll
    static void noSecretAnywhere() {
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

    @BeforeEach
    void start() {
        stub = new SpecCheckingStub();
    }

    @AfterEach
    void stop() {
        transports.forEach(DirectTransport::close);
        try {
            assertThat(stub.violations())
                    .as("requests that break the OpenAPI spec")
                    .isEmpty();
        } finally {
            stub.close();
        }
    }

    private Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("mailpath.api.url", stub.url());
        c.put("mailpath.api.insecure-allow-http", "true");
        c.put("mailpath.api.key", KEY);
        c.put("mailpath.api.read-timeout-ms", "3000");
        c.put("mailpath.api.connect-timeout-ms", "2000");
        return c;
    }

    private DirectTransport transport(Map<String, String> config) {
        DirectTransport t = Transports.create("api", config);
        transports.add(t);
        errorTexts.add(t.toString());
        return t;
    }

    private DirectTransport transport() {
        return transport(config());
    }

    private static Mail.Builder simple() {
        return Mail.builder()
                .from("sender@example.com")
                .to("rcpt@example.org")
                .subject("Hello")
                .text("Body");
    }

    private void answer(int status, String body) {
        stub.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private void accept(String transmissionId) {
        stub.server.stubFor(
                post(urlEqualTo(PATH)).willReturn(okJson("{\"transmissionId\":\"" + transmissionId + "\"}")));
    }

    private JsonObject onlyRequest() {
        List<LoggedRequest> requests = stub.server.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(requests).hasSize(1);
        return json(requests.get(0));
    }

    private static JsonObject json(LoggedRequest r) {
        return Json.createReader(new StringReader(r.getBodyAsString())).readObject();
    }

    private static MailException sendFailing(DirectTransport t, Mail mail) {
        try {
            t.send(mail);
        } catch (MailException e) {
            errorTexts.add(e.toString());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                errorTexts.add(c.toString());
            }
            return e;
        }
        throw new AssertionError("the send did not fail");
    }

    @Test
    void sendsEveryFieldUnderTheSpecsNames() {
        accept("tx-123");
        byte[] pdf = new byte[5000];
        new java.util.Random(3).nextBytes(pdf);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2};
        Mail mail = Mail.builder()
                .from("billing@example.com", "Billing")
                .to(io.mailpath.Address.of("ann@example.org", "Ann"))
                .cc("c@example.org")
                .bcc("b@example.org")
                .replyTo("help@example.com", "support@example.com")
                .subject("Your invoice")
                .text("Text")
                .html("<p>HTML <img src=\"cid:logo\"></p>")
                .header("X-Campaign", "spring")
                .attach(Attachment.of("invoice.pdf", "application/pdf", pdf))
                .attach(Attachment.inline("logo", "logo.png", "image/png", png))
                .metadata("orderId", "1234")
                .tracking(new TrackingOptions(true, false, true))
                .build();

        SendReceipt receipt = transport().send(mail);

        assertThat(receipt.transport()).isEqualTo("api");
        assertThat(receipt.transmissionId()).isEqualTo("tx-123");
        assertThat(receipt.mailId()).isEqualTo(mail.id());
        assertThat(receipt.accepted()).containsExactly("ann@example.org");
        JsonObject body = onlyRequest();
        assertThat(body.getString("subject")).isEqualTo("Your invoice");
        assertThat(body.getJsonObject("from").getString("email")).isEqualTo("billing@example.com");
        assertThat(body.getJsonObject("from").getString("name")).isEqualTo("Billing");
        assertThat(body.getJsonArray("to").getJsonObject(0).getString("name")).isEqualTo("Ann");
        assertThat(body.getJsonArray("cc").getJsonObject(0).getString("email")).isEqualTo("c@example.org");
        assertThat(body.getJsonArray("bcc").getJsonObject(0).getString("email")).isEqualTo("b@example.org");
        assertThat(body.getJsonArray("replyTo")).hasSize(2);
        assertThat(body.getString("bodyText")).isEqualTo("Text");
        assertThat(body.getString("bodyHtml")).isEqualTo("<p>HTML <img src=\"cid:logo\"></p>");
        assertThat(body.getJsonArray("headers").getValuesAs(JsonObject.class))
                .extracting(h -> h.getString("name") + "=" + h.getString("value"))
                .containsExactly("X-Mailpath-Id=" + mail.id(), "X-Campaign=spring");
        var attachments = body.getJsonArray("attachments").getValuesAs(JsonObject.class);
        assertThat(attachments).hasSize(2);
        assertThat(attachments.get(0).getString("filename")).isEqualTo("invoice.pdf");
        assertThat(attachments.get(0).getString("mimeType")).isEqualTo("application/pdf");
        assertThat(attachments.get(0).getString("disposition")).isEqualTo("attachment");
        assertThat(attachments.get(0).containsKey("contentId")).isFalse();
        assertThat(Base64.getDecoder().decode(attachments.get(0).getString("value")))
                .isEqualTo(pdf);
        assertThat(attachments.get(1).getString("contentId")).isEqualTo("logo");
        assertThat(attachments.get(1).getString("disposition")).isEqualTo("inline");
        assertThat(Base64.getDecoder().decode(attachments.get(1).getString("value")))
                .isEqualTo(png);
        assertThat(body.getJsonObject("metadata").getString("orderId")).isEqualTo("1234");
        assertThat(body.getJsonObject("metadata").getString("mailpath_id")).isEqualTo(mail.id());
        JsonObject options = body.getJsonObject("optionsAttributes");
        assertThat(options.getBoolean("openTracking")).isTrue();
        assertThat(options.getBoolean("clickTracking")).isFalse();
        assertThat(options.getBoolean("transactional")).isTrue();
        stub.server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader(
                        "Content-Type",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("application/json")));
    }

    @Test
    void leavesOutWhatTheMessageDoesNotHave() {
        accept("tx-1");
        transport().send(simple().build());

        JsonObject body = onlyRequest();
        assertThat(body.keySet()).containsExactlyInAnyOrder("subject", "from", "to", "bodyText", "headers", "metadata");
        assertThat(body.getJsonObject("from").keySet()).containsExactly("email");
        assertThat(body.toString()).doesNotContain("null");
    }

    @Test
    void sendsATemplateWithItsSubstitutionDataAndNoBody() {
        accept("tx-2");
        transport()
                .send(simple().template("welcome-v2")
                        .substitution("name", "Ann")
                        .html("<p>fallback</p>")
                        .build());

        JsonObject body = onlyRequest();
        assertThat(body.getString("templateId")).isEqualTo("welcome-v2");
        assertThat(body.getJsonObject("substitutionData").getString("name")).isEqualTo("Ann");
        assertThat(body.containsKey("bodyText")).isFalse();
        assertThat(body.containsKey("bodyHtml")).isFalse();
    }

    @Test
    void theStubCatchesAFieldNameSlip() {
        // The Go and Node SDKs send "attachment" (singular), which the API silently ignores.
        SimpleRequestHolder slip = new SimpleRequestHolder(
                "{\"subject\":\"s\",\"from\":{\"email\":\"a@example.com\"},\"to\":[{\"email\":\"b@example.org\"}],"
                        + "\"attachment\":[{\"filename\":\"a.txt\",\"value\":\"eA==\"}]}");
        assertThat(stub.check(slip.request()).hasErrors()).isTrue();
        SimpleRequestHolder missing = new SimpleRequestHolder("{\"from\":{\"email\":\"a@example.com\"}}");
        assertThat(stub.check(missing.request()).hasErrors()).isTrue();
    }

    /** A request as the transport would send it, for checking the checker. */
    private record SimpleRequestHolder(String body) {
        com.atlassian.oai.validator.model.Request request() {
            return com.atlassian.oai.validator.model.SimpleRequest.Builder.post(PATH)
                    .withHeader("Authorization", "Bearer x")
                    .withContentType("application/json")
                    .withBody(body)
                    .build();
        }
    }

    static Stream<Arguments> errorStatuses() {
        return Stream.of(
                Arguments.of(400, MailRejectedException.class),
                Arguments.of(413, MailRejectedException.class),
                Arguments.of(415, MailRejectedException.class),
                Arguments.of(422, MailRejectedException.class),
                Arguments.of(401, MailAuthenticationException.class),
                Arguments.of(403, MailAuthenticationException.class),
                Arguments.of(420, MailRateLimitedException.class),
                Arguments.of(429, MailRateLimitedException.class),
                Arguments.of(500, MailUnavailableException.class),
                Arguments.of(502, MailUnavailableException.class),
                Arguments.of(503, MailUnavailableException.class),
                Arguments.of(504, MailUnavailableException.class));
    }

    static Stream<Arguments> errorStatusesAndShapes() {
        List<String> shapes = List.of(
                "{\"error\":\"invalid_request\",\"message\":\"Reason given\"}",
                "{\"errors\":[{\"message\":\"Reason given\",\"description\":\"details\",\"code\":\"1902\"}]}",
                "{\"error\":\"invalid_request\",\"status\":400,\"code\":\"E42\",\"message\":\"Reason given\"}");
        return errorStatuses().flatMap(a -> shapes.stream().map(s -> Arguments.of(a.get()[0], a.get()[1], s)));
    }

    @ParameterizedTest(name = "HTTP {0} with {2}")
    @MethodSource("errorStatusesAndShapes")
    void mapsEveryErrorStatusAndBodyShape(int status, Class<? extends MailException> type, String body) {
        answer(status, body);

        MailException e = sendFailing(transport(), simple().build());

        assertThat(e).isInstanceOf(type);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.transport()).isEqualTo("api");
        assertThat(e.getMessage()).contains("HTTP " + status).contains("Reason given");
        if (body.contains("1902")) {
            assertThat(e.errorCode()).isEqualTo("1902");
        } else if (body.contains("E42")) {
            assertThat(e.errorCode()).isEqualTo("E42");
        }
    }

    @Test
    void anUnparseableErrorBodyStillGivesTheStatus() {
        answer(502, "<html><body>Bad gateway</body></html>");

        MailException e = sendFailing(transport(), simple().build());

        assertThat(e).isInstanceOf(MailUnavailableException.class);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).contains("HTTP 502").contains("not JSON").contains("Bad gateway");

        answer(400, "");
        MailException empty = sendFailing(transport(), simple().build());
        assertThat(empty).isInstanceOf(MailRejectedException.class);
        assertThat(empty.getMessage()).contains("HTTP 400");
    }

    @Test
    void retryAfterInSeconds() {
        stub.server.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));

        MailException e = sendFailing(transport(), simple().build());

        assertThat(e).isInstanceOfSatisfying(MailRateLimitedException.class, r -> assertThat(r.retryAfter())
                .contains(Duration.ofSeconds(7)));
        assertThat(e.kind()).isEqualTo(FailureKind.RATE_LIMITED);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        stub.server.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", date)));

        MailException e = sendFailing(transport(), simple().build());

        assertThat(((MailRateLimitedException) e).retryAfter())
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121)));
    }

    @Test
    void sendingLimitHasNoKnownRetryTime() {
        stub.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(420)
                        .withHeader("Retry-After", "5")
                        .withBody("{\"error\":\"limit\",\"message\":\"Exceed Sending Limit\"}")));

        MailException e = sendFailing(transport(), simple().build());

        assertThat(((MailRateLimitedException) e).retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains("Exceed Sending Limit");
    }

    @Test
    void aResetConnectionIsUnavailable() {
        stub.server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(sendFailing(transport(), simple().build())).isInstanceOf(MailUnavailableException.class);
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> config = config();
        config.put("mailpath.api.url", "http://127.0.0.1:" + port);

        MailException e = sendFailing(transport(config), simple().build());

        assertThat(e).isInstanceOf(MailUnavailableException.class);
        assertThat(stub.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aConnectTimeoutIsUnavailable() throws Exception {
        // A listening socket whose accept queue is full and never drained: the connect never completes.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        queued.add(s);
                    } catch (java.io.IOException filled) {
                        s.close();
                        break;
                    }
                }
                Map<String, String> config = config();
                config.put("mailpath.api.url", "http://127.0.0.1:" + full.getLocalPort());
                config.put("mailpath.api.connect-timeout-ms", "500");

                MailException e = sendFailing(transport(config), simple().build());

                assertThat(e).isInstanceOf(MailUnavailableException.class);
                assertThat(e.getMessage()).isEqualTo("Connecting to the Mailtarget API timed out");
            } finally {
                for (java.net.Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aSlowServerBeyondTheReadTimeoutIsUncertain() {
        stub.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(okJson("{\"transmissionId\":\"late\"}").withFixedDelay(2_500)));
        Map<String, String> config = config();
        config.put("mailpath.api.read-timeout-ms", "500");

        MailException e = sendFailing(transport(config), simple().build());

        assertThat(e).isInstanceOf(MailUncertainException.class);
        assertThat(e.kind()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(stub.server.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
    }

    @Test
    void theStandardRestClientKeysWorkToo() {
        accept("tx-std");
        Map<String, String> config = config();
        config.remove("mailpath.api.url");
        config.put("mailtarget-api/mp-rest/url", stub.url());

        assertThat(transport(config).send(simple().build()).transmissionId()).isEqualTo("tx-std");
    }

    @Test
    void aRotatedKeyAppliesToTheNextRequest() {
        accept("tx-r");
        LiveConfigSource live = new LiveConfigSource(config());
        DirectTransport t = new ApiTransportProvider()
                .create(TransportConfig.of(
                        "api", new SmallRyeConfigBuilder().withSources(live).build()));
        transports.add(t);

        t.send(simple().build());
        live.put("mailpath.api.key", ROTATED_KEY);
        t.send(simple().build());

        List<LoggedRequest> requests = stub.server.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(requests)
                .extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer " + KEY, "Bearer " + ROTATED_KEY);
    }

    @Test
    void plainHttpIsRefusedWithoutTheInsecureOptIn() {
        Map<String, String> config = config();
        config.remove("mailpath.api.insecure-allow-http");

        assertThatThrownBy(() -> Transports.create("api", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.api.url")
                .hasMessageContaining("mailpath.api.insecure-allow-http")
                .hasMessageNotContaining(KEY);
        config.remove("mailpath.api.url");
        config.put("mailtarget-api/mp-rest/url", "ftp://example.com");
        assertThatThrownBy(() -> Transports.create("api", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailtarget-api/mp-rest/url");
    }

    @Test
    void aMissingKeyFailsWhenTheTransportIsBuilt() {
        Map<String, String> config = config();
        config.remove("mailpath.api.key");

        assertThatThrownBy(() -> Transports.create("api", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessage("mailpath.api.key is required");
    }

    @Test
    void perRecipientDataSendsOneTransmissionEach() {
        for (String who : List.of("ann", "bob", "cy")) {
            stub.server.stubFor(post(urlEqualTo(PATH))
                    .withRequestBody(matchingJsonPath("$.to[0].email", equalTo(who + "@example.org")))
                    .willReturn(okJson("{\"transmissionId\":\"tx-" + who + "\"}")));
        }
        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.org", "bob@example.org", "cy@example.org")
                .subject("Hi {{name}}")
                .template("promo")
                .substitution("shop", "Example")
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("bob@example.org", Map.of("name", "Bob"))
                .recipientData("cy@example.org", Map.of("name", "Cy", "shop", "Other"))
                .build();

        SendReceipt receipt = transport().send(mail);

        assertThat(receipt.deliveries())
                .extracting(d -> d.recipients().get(0) + "=" + d.transmissionId())
                .containsExactly("ann@example.org=tx-ann", "bob@example.org=tx-bob", "cy@example.org=tx-cy");
        Map<String, JsonObject> byRecipient = new HashMap<>();
        for (LoggedRequest r : stub.server.findAll(postRequestedFor(urlEqualTo(PATH)))) {
            JsonObject body = json(r);
            assertThat(body.getJsonArray("to")).hasSize(1);
            byRecipient.put(body.getJsonArray("to").getJsonObject(0).getString("email"), body);
        }
        assertThat(byRecipient).hasSize(3);
        assertThat(byRecipient
                        .get("ann@example.org")
                        .getJsonObject("substitutionData")
                        .toString())
                .isEqualTo("{\"shop\":\"Example\",\"name\":\"Ann\"}");
        assertThat(byRecipient
                        .get("cy@example.org")
                        .getJsonObject("substitutionData")
                        .getString("shop"))
                .isEqualTo("Other");
        assertThat(byRecipient.values())
                .allSatisfy(b -> assertThat(b.getJsonObject("metadata").getString("mailpath_id"))
                        .isEqualTo(mail.id()));
    }

    @Test
    void aRefusedRecipientOfAFanOutShowsInTheReceipt() {
        stub.server.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"transmissionId\":\"tx-ok\"}")));
        stub.server.stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.to[0].email", equalTo("bad@example.org")))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withBody("{\"error\":\"suppressed\",\"message\":\"Recipient is suppressed\"}")));
        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ok@example.org", "bad@example.org")
                .subject("Hi")
                .text("Hi {{name}}")
                .recipientData("ok@example.org", Map.of("name", "Ok"))
                .recipientData("bad@example.org", Map.of("name", "Bad"))
                .build();

        SendReceipt receipt = transport().send(mail);

        assertThat(receipt.accepted()).containsExactly("ok@example.org");
        assertThat(receipt.rejected()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("bad@example.org");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.reason()).contains("suppressed");
        });
    }

    @Test
    void anOversizedRequestIsRejectedBeforeTheCall() {
        // 16 MB of attachment is within the message's 20 MB, but becomes 21.3 MB in base64.
        Mail mail = simple().attach(Attachment.of("big.bin", "application/octet-stream", new byte[16 * 1024 * 1024]))
                .build();

        MailException e = sendFailing(transport(), mail);

        assertThat(e).isInstanceOf(MailRejectedException.class).hasMessageContaining("base64");
        assertThat(stub.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void retryAfterParsing() {
        var now = java.time.Instant.parse("2026-11-22T10:00:00Z");
        assertThat(MailtargetErrorMapper.retryAfter("3", now)).isEqualTo(Duration.ofSeconds(3));
        assertThat(MailtargetErrorMapper.retryAfter("Sun, 22 Nov 2026 10:00:30 GMT", now))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(MailtargetErrorMapper.retryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now))
                .isEqualTo(Duration.ZERO);
        assertThat(MailtargetErrorMapper.retryAfter("soon", now)).isNull();
        assertThat(MailtargetErrorMapper.retryAfter(null, now)).isNull();
    }

    @Test
    void registersThroughTheSpi() {
        assertThat(Transports.provider("api").capabilities()).contains(io.mailpath.spi.Capability.TEMPLATES);
        assertThat(transport().toString()).contains(stub.url()).doesNotContain(KEY);
    }
}
