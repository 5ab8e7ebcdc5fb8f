package io.mailpath.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mailpath.e2e.IsolationPeers.MARKETING;
import static io.mailpath.e2e.IsolationPeers.MARKETING_KEY;
import static io.mailpath.e2e.IsolationPeers.ONE_SEND_BOUND;
import static io.mailpath.e2e.IsolationPeers.TRANSACTIONAL;
import static io.mailpath.e2e.IsolationPeers.TRANSACTIONAL_KEY;
import static io.mailpath.e2e.IsolationPeers.assertDeliveredThroughApiAtFirstTry;
import static io.mailpath.e2e.IsolationPeers.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.mailpath.FailureKind;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import io.mailpath.testing.MailpathDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * For any sequence of marketing failures (revoked key, suspended account, rate limit, endpoint unavailable, connection
 * reset), each marketing send running on another thread while transactional messages are sent, every transactional
 * message is delivered through {@code api} with one attempt (one request at the shared endpoint), in its own stream.
 * One deployment serves every try, so marketing's circuit may be open in later tries: that must not matter either.
 */
@Tag("slow") // 20 tries of up to five steps, some waiting for marketing's Retry-After: half a minute or more
class StreamIsolationPropertiesTest {
    /** What the shared endpoint answers marketing's key, and the kind of failure marketing gets for it. */
    enum MarketingFault {
        REVOKED_401(FailureKind.AUTHENTICATION),
        SUSPENDED_403(FailureKind.AUTHENTICATION),
        RATE_LIMITED_429(FailureKind.RATE_LIMITED),
        UNAVAILABLE_503(FailureKind.UNAVAILABLE),
        RESET(FailureKind.UNCERTAIN);

        final FailureKind kind;

        MarketingFault(FailureKind kind) {
            this.kind = kind;
        }

        ResponseDefinitionBuilder answer() {
            return switch (this) {
                case REVOKED_401 -> aResponse().withStatus(401);
                case SUSPENDED_403 -> aResponse().withStatus(403);
                    // Short, so that a try waits little; transactional never waits for it.
                case RATE_LIMITED_429 -> aResponse().withStatus(429).withHeader("Retry-After", "1");
                case UNAVAILABLE_503 -> aResponse().withStatus(503);
                case RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            };
        }
    }

    private static Path dir;
    private static IsolationPeers peers;
    private static MailpathDeployment app;
    private static IsolationSenders senders;
    private static ExecutorService marketingThread;

    @BeforeContainer
    static void deploy() throws Exception {
        dir = Files.createTempDirectory("stream-isolation");
        peers = new IsolationPeers(dir);
        peers.reset();
        Map<String, String> config = peers.config();
        config.put("mailpath.stream.marketing.failover.rate-limit-max-wait-ms", "2000");
        // Marketing's circuit may open within the run, and lets a trial through soon after: most steps meet their fault
        // at the endpoint, some meet the open circuit.
        config.put("io.mailpath.routing.PrimaryPath/send/CircuitBreaker/requestVolumeThreshold", "8");
        config.put("io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay", "100");
        app = IsolationPeers.deploy(config);
        senders = app.bean(IsolationSenders.class);
        marketingThread = Executors.newSingleThreadExecutor();
    }

    @AfterContainer
    static void undeploy() throws Exception {
        // Each step only if it was reached: a deployment that failed must not be hidden by a second failure here.
        try {
            if (marketingThread != null) {
                marketingThread.shutdownNow();
            }
            if (app != null) {
                app.close();
            }
            if (peers != null) {
                peers.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 20)
    void transactionalIsDeliveredThroughApiAtFirstTryWhateverMarketingMeets(
            @ForAll @Size(min = 1, max = 5) List<MarketingFault> faults,
            @ForAll @IntRange(min = 1, max = 3) int transactionalPerFault)
            throws Exception {
        int n = 0;
        for (MarketingFault fault : faults) {
            peers.reset();
            peers.answer(MARKETING_KEY, fault.answer());
            Future<MailException> marketing = marketingThread.submit(() -> {
                try {
                    SendReceipt r = senders.marketing().send(message(MARKETING, 0));
                    throw new AssertionError("marketing delivered despite " + fault + ": " + r);
                } catch (MailException e) {
                    return e;
                }
            });
            for (int i = 0; i < transactionalPerFault; i++, n++) {
                long start = System.nanoTime();
                SendReceipt r = n % 2 == 0
                        ? senders.transactional().send(message(TRANSACTIONAL, n))
                        : senders.transactional()
                                .sendAsync(message(TRANSACTIONAL, n))
                                .toCompletableFuture()
                                .get(1, TimeUnit.MINUTES);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ONE_SEND_BOUND);
                assertDeliveredThroughApiAtFirstTry(r);
            }
            assertThat(peers.requests(TRANSACTIONAL_KEY)).isEqualTo(transactionalPerFault);
            MailException failed = marketing.get(1, TimeUnit.MINUTES);
            boolean refusedByCircuit = failed.getMessage().contains("circuit breaker");
            Statistics.label("marketing's outcome").collect(refusedByCircuit ? "circuit open" : fault.kind);
            // Its own failure, or its circuit open after earlier unavailable or uncertain ones.
            if (!refusedByCircuit) {
                assertThat(failed.kind())
                        .as("marketing's failure for %s", fault)
                        .isEqualTo(fault.kind);
            }
        }
        assertThat(peers.api.violations()).isEmpty();
    }
}
