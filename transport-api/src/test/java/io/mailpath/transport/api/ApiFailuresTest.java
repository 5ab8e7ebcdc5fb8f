package io.mailpath.transport.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mailpath.transport.api.ApiFixture.PATH;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import io.mailpath.FailureKind;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the API transport's failures are classified: HTTP error statuses and bodies through {@link MailtargetErrorMapper}
 * (with {@code Retry-After}), and failures without a response (reset, refused, connect timeout, read timeout) through
 * {@link ApiFailures}, against a real HTTP server on loopback. Every step of the exchange: {@link ApiFaultMatrixTest}.
 */
class ApiFailuresTest {
    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

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
                Arguments.of(408, MailUnavailableException.class),
                Arguments.of(502, MailUncertainException.class),
                Arguments.of(503, MailUnavailableException.class),
                Arguments.of(504, MailUncertainException.class));
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
        api.answer(status, body);

        MailException e = api.sendFailing(api.transport(), simple().build());

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

    /**
     * A redirect is a definitive reply: the status was read, and the API did not take the transmission at this URL.
     * It is classified by its code, never followed (a body of mail to a host nobody checked), never uncertain.
     */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsNotFollowedAndSaysTheUrlIsWrong(int status) {
        String elsewhere = "/v2/moved/transmissions";
        api.server()
                .stubFor(post(urlEqualTo(PATH))
                        .willReturn(aResponse()
                                .withStatus(status)
                                .withHeader("Location", api.stub().url() + elsewhere)
                                .withBody("moved")));
        api.server().stubFor(post(urlEqualTo(elsewhere)).willReturn(okJson("{\"transmissionId\":\"followed\"}")));

        MailException e = api.sendFailing(api.transport(), simple().build());

        assertThat(e).isInstanceOf(MailUnavailableException.class);
        assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.status()).as("the status read, not an invented one").isEqualTo(status);
        assertThat(e.getMessage())
                .contains("HTTP " + status)
                .contains("mailpath.api.url")
                .contains(elsewhere);
        assertThat(api.server().findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
        assertThat(api.server().findAll(postRequestedFor(urlEqualTo(elsewhere))))
                .as("the redirect was not followed")
                .isEmpty();
    }

    @Test
    void anUnparseableErrorBodyStillGivesTheStatus() {
        api.answer(502, "<html><body>Bad gateway</body></html>");

        MailException e = api.sendFailing(api.transport(), simple().build());

        assertThat(e).isInstanceOf(MailUncertainException.class);
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).contains("HTTP 502").contains("not JSON").contains("Bad gateway");

        api.answer(400, "");
        MailException empty = api.sendFailing(api.transport(), simple().build());
        assertThat(empty).isInstanceOf(MailRejectedException.class);
        assertThat(empty.getMessage()).contains("HTTP 400");
    }

    @Test
    void retryAfterInSeconds() {
        api.server()
                .stubFor(post(urlEqualTo(PATH))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));

        MailException e = api.sendFailing(api.transport(), simple().build());

        assertThat(e).isInstanceOfSatisfying(MailRateLimitedException.class, r -> assertThat(r.retryAfter())
                .contains(Duration.ofSeconds(7)));
        assertThat(e.kind()).isEqualTo(FailureKind.RATE_LIMITED);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        api.server()
                .stubFor(post(urlEqualTo(PATH))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", date)));

        MailException e = api.sendFailing(api.transport(), simple().build());

        assertThat(((MailRateLimitedException) e).retryAfter())
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121)));
    }

    @Test
    void sendingLimitHasNoKnownRetryTime() {
        api.server()
                .stubFor(post(urlEqualTo(PATH))
                        .willReturn(aResponse()
                                .withStatus(420)
                                .withHeader("Retry-After", "5")
                                .withBody("{\"error\":\"limit\",\"message\":\"Exceed Sending Limit\"}")));

        MailException e = api.sendFailing(api.transport(), simple().build());

        assertThat(((MailRateLimitedException) e).retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains("Exceed Sending Limit");
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
    void aConnectionResetAfterTheRequestIsUncertain() {
        api.server().stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        MailException e = api.sendFailing(api.transport(), simple().build());

        assertThat(e).isInstanceOf(MailUncertainException.class);
        assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
        assertThat(api.server().findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> config = api.config();
        config.put("mailpath.api.url", "http://127.0.0.1:" + port);

        MailException e = api.sendFailing(api.transport(config), simple().build());

        assertThat(e).isInstanceOf(MailUnavailableException.class);
        assertThat(api.server().getAllServeEvents()).isEmpty();
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
                Map<String, String> config = api.config();
                config.put("mailpath.api.url", "http://127.0.0.1:" + full.getLocalPort());
                config.put("mailpath.api.connect-timeout-ms", "500");

                MailException e = api.sendFailing(api.transport(config), simple().build());

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
        api.server()
                .stubFor(post(urlEqualTo(PATH))
                        .willReturn(okJson("{\"transmissionId\":\"late\"}").withFixedDelay(2_500)));
        Map<String, String> config = api.config();
        config.put("mailpath.api.read-timeout-ms", "500");

        MailException e = api.sendFailing(api.transport(config), simple().build());

        assertThat(e).isInstanceOf(MailUncertainException.class);
        assertThat(e.kind()).isEqualTo(FailureKind.UNCERTAIN);
        assertThat(api.server().findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
    }

    private static java.io.IOException writeBody() {
        return new java.net.SocketException("Broken pipe");
    }

    private static java.io.IOException readReply() {
        return new java.net.SocketException("Connection reset");
    }

    @Test
    void thePhaseAndTheFailingIoStepDecide() {
        var handed = ExchangeTracker.Phase.BODY_HANDED_OVER;
        assertThat(ApiFailures.ioStep(writeBody())).isEqualTo(ApiFailures.IoStep.WRITE);
        assertThat(ApiFailures.ioStep(readReply())).isEqualTo(ApiFailures.IoStep.READ);
        assertThat(ApiFailures.ofFailure(new jakarta.ws.rs.ProcessingException(writeBody()), handed, null)
                        .kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(ApiFailures.ofFailure(new jakarta.ws.rs.ProcessingException(readReply()), handed, null)
                        .kind())
                .isEqualTo(FailureKind.UNCERTAIN);
        assertThat(ApiFailures.ofFailure(readReply(), ExchangeTracker.Phase.STARTED, null)
                        .kind())
                .as("the body was never handed over: nothing left this process")
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(ApiFailures.ofFailure(
                                new jakarta.ws.rs.ProcessingException("no reader"),
                                ExchangeTracker.Phase.RESPONSE_STARTED,
                                null)
                        .kind())
                .isEqualTo(FailureKind.UNCERTAIN);
        assertThat(ApiFailures.ofFailure(new RuntimeException("?"), ExchangeTracker.Phase.UNKNOWN, null)
                        .kind())
                .as("nothing known: never reported as not sent")
                .isEqualTo(FailureKind.UNCERTAIN);
        MailException refused = ApiFailures.ofFailure(
                new jakarta.ws.rs.ProcessingException(new java.net.ConnectException("Connection refused")),
                ExchangeTracker.Phase.BODY_HANDED_OVER,
                null);
        assertThat(refused.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(refused.status()).isEqualTo(MailException.NO_STATUS);
    }

    @Test
    void anAttachmentThatCannotBeReadIsRejectedWhateverThePhaseSays() {
        // Raised by the writer inside the body: the message is at fault and nothing complete was sent, so neither
        // the I/O step on its stack (a write) nor an unknown phase (uncertain) decides.
        var unreadable = new UnreadableAttachmentException(
                "figures.xlsx", new java.nio.file.NoSuchFileException("/data/q3/figures.xlsx"));
        for (ExchangeTracker.Phase phase : ExchangeTracker.Phase.values()) {
            MailException e = ApiFailures.ofFailure(new jakarta.ws.rs.ProcessingException(unreadable), phase, null);

            assertThat(e).as(phase.name()).isInstanceOf(MailRejectedException.class);
            assertThat(e.getMessage()).contains("'figures.xlsx'");
            assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
        }
    }
    /**
     * The watchdog may fire as the reply begins: its status line read, the response filter not yet run. The exchange
     * then ends with the API's own reply, which an abort must not restate as a write cut short (dropping its status,
     * and saying the request was not all written when the API answered it).
     */
    @Test
    void aReplyThatCameAsTheExchangeWasAbortedKeepsItsStatusAndWording() {
        MailException unavailable = ApiFailures.ofStatus(503, "HTTP 503: Service Unavailable", null, null);
        MailException gateway = ApiFailures.ofStatus(504, "HTTP 504: Gateway Timeout", null, null);

        MailException e = ApiFailures.ofAbortedExchange(unavailable, 2000);
        MailException g = ApiFailures.ofAbortedExchange(gateway, 2000);

        assertThat(e).isSameAs(unavailable);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).doesNotContain("write-timeout-ms");
        assertThat(g).isSameAs(gateway);
        assertThat(g.status()).isEqualTo(504);
    }
}
