package io.mailpath.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.peers.SpecCheckingStub;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import io.mailpath.testing.peers.TransmissionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The peers of the stream isolation tests: one API endpoint (the spec-checking stub) that both streams share, told
 * apart only by their API keys, and the transactional stream's own relay (STARTTLS and AUTH). Each stream has its own
 * key; the unnamed stream has one too, so that the deployment is complete.
 */
final class IsolationPeers implements AutoCloseable {
    static final String TRANSACTIONAL = "transactional";
    static final String MARKETING = "marketing";

    static final String DEFAULT_KEY = "mt-iso-default-5b1e02";
    static final String TRANSACTIONAL_KEY = "mt-iso-transactional-7f3a91";
    static final String MARKETING_KEY = "mt-iso-marketing-2c9d44";

    /** The bound on one transactional send, whatever marketing does; the normal is milliseconds. */
    static final Duration ONE_SEND_BOUND = Duration.ofSeconds(5);

    final TestTls tls;
    final SpecCheckingStub api;
    final TestSmtpServer transactionalRelay;

    IsolationPeers(Path dir) throws Exception {
        tls = TestTls.create(dir);
        // Parsing the OpenAPI spec takes seconds: done once here, not inside a timed send.
        assertThat(TransmissionSpec.violations("{}")).isNotEmpty();
        api = new SpecCheckingStub();
        transactionalRelay = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true);
    }

    /**
     * Two named streams on the one API endpoint, each with its own key: transactional tries {@code api} then its own
     * relay, marketing {@code api} only. A test adds or overrides keys (marketing's transports, its URL).
     */
    Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("mailpath.streams", "transactional,marketing");
        c.put("mailpath.transports", "api");
        c.put("mailpath.api.key", DEFAULT_KEY);
        // Shared by every stream: the one endpoint.
        c.put("mailpath.api.url", api.url());
        c.put("mailpath.api.insecure-allow-http", "true");
        c.put("mailpath.api.connect-timeout-ms", "5000");
        c.put("mailpath.api.read-timeout-ms", "10000");

        c.put("mailpath.stream.transactional.transports", "api,smtp");
        c.put("mailpath.stream.transactional.api.key", TRANSACTIONAL_KEY);
        c.put("mailpath.stream.transactional.smtp.host", "127.0.0.1");
        c.put("mailpath.stream.transactional.smtp.port", String.valueOf(transactionalRelay.port()));
        c.put("mailpath.stream.transactional.smtp.username", TestSmtpServer.USER);
        c.put("mailpath.stream.transactional.smtp.password", TestSmtpServer.PASSWORD);
        c.put("mailpath.stream.transactional.smtp.trust-store", tls.trustStore.toString());
        c.put("mailpath.stream.transactional.smtp.trust-store-password", new String(TestTls.PASSWORD));

        c.put("mailpath.stream.marketing.transports", "api");
        c.put("mailpath.stream.marketing.api.key", MARKETING_KEY);

        // Short retry delays: they change no outcome, only how long a failing marketing send takes.
        c.put("io.mailpath.routing.PrimaryPath/sendInStream/Retry/delay", "1");
        c.put("io.mailpath.routing.PrimaryPath/sendInStream/Retry/jitter", "0");
        c.put("io.mailpath.routing.SecondaryPath/send/Retry/delay", "1");
        c.put("io.mailpath.routing.SecondaryPath/send/Retry/jitter", "0");
        return c;
    }

    /** A deployment of this configuration, with the application's bean that injects both streams. */
    static MailpathDeployment deploy(Map<String, String> config) {
        return MailpathDeployment.start(config, weld -> weld.addBeanClasses(IsolationSenders.class));
    }

    /** Forgets every stub and request; then the API answers 200 to the unnamed and the transactional stream's key. */
    void reset() {
        api.server.resetAll();
        api.clearViolations();
        transactionalRelay.received.clear();
        answer(DEFAULT_KEY, okJson("{\"transmissionId\":\"tx-default\"}"));
        answer(TRANSACTIONAL_KEY, okJson("{\"transmissionId\":\"tx-transactional\"}"));
    }

    /** How the shared endpoint answers one key (a later stub for the same key wins). */
    void answer(String key, ResponseDefinitionBuilder response) {
        api.server.stubFor(post(urlEqualTo(TransmissionSpec.PATH))
                .withHeader("Authorization", equalTo("Bearer " + key))
                .willReturn(response));
    }

    /** How the shared endpoint answers every key: it is down for everyone. */
    void answerEveryKey(ResponseDefinitionBuilder response) {
        api.server.resetMappings();
        api.server.stubFor(post(urlEqualTo(TransmissionSpec.PATH)).atPriority(1).willReturn(response));
    }

    /** How many requests the endpoint received with this key. */
    int requests(String key) {
        return api.server
                .countRequestsMatching(postRequestedFor(urlEqualTo(TransmissionSpec.PATH))
                        .withHeader("Authorization", equalTo("Bearer " + key))
                        .build())
                .getCount();
    }

    static Mail message(String stream, int i) {
        return Mail.builder()
                .from("news@example.com")
                .to("user" + i + "@example.org")
                .subject(stream + " " + i + " " + UUID.randomUUID())
                .text("Message " + i + " of stream " + stream)
                .build();
    }

    /** What isolation promises a transactional message: through its primary, at the first try, in its stream. */
    static void assertDeliveredThroughApiAtFirstTry(SendReceipt r) {
        assertThat(r.stream()).isEqualTo("transactional");
        assertThat(r.transport()).as("delivering transport of %s", r).isEqualTo("api");
        assertThat(r.failedOver()).as("failed over: %s", r).isFalse();
        assertThat(r.possibleDuplicate()).isFalse();
        assertThat(r.attempts()).as("attempts of %s", r).hasSize(1);
        Attempt only = r.attempts().get(0);
        assertThat(only.transport()).isEqualTo("api");
        assertThat(only.isSuccess()).isTrue();
    }

    @Override
    public void close() {
        transactionalRelay.close();
        api.close();
    }
}
