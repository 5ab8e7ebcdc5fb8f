package io.mailpath.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.mailpath.e2e.IsolationPeers.MARKETING;
import static io.mailpath.e2e.IsolationPeers.MARKETING_KEY;
import static io.mailpath.e2e.IsolationPeers.ONE_SEND_BOUND;
import static io.mailpath.e2e.IsolationPeers.TRANSACTIONAL;
import static io.mailpath.e2e.IsolationPeers.TRANSACTIONAL_KEY;
import static io.mailpath.e2e.IsolationPeers.assertDeliveredThroughApiAtFirstTry;
import static io.mailpath.e2e.IsolationPeers.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.mailpath.FailureKind;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import io.mailpath.testing.peers.FaultyProxy;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * One stream's failures stay in that stream, through the real transports against real peers: while the marketing
 * stream fails (its key revoked, its account suspended, its quota spent, its relay down, its circuit open), with its
 * sends running on other threads at the same time, every transactional message is delivered through {@code api} at
 * the first try, without failing over, in its own stream, and no slower than it was before marketing failed (within
 * a wide margin). Both streams post to one API endpoint, told apart by their keys; only when that endpoint is down for
 * every key do both streams see it.
 *
 * <p>Timing: each transactional send must end within {@link IsolationPeers#ONE_SEND_BOUND} (the normal is
 * milliseconds; marketing's waits are longer than that bound), and its median may be far above the baseline median
 * measured in the same test before it is called slower.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StreamIsolationTest {
    private static final int MARKETING_SENDERS = 3;
    private static final int WARM_UP_SENDS = 4;
    private static final int BASELINE_SENDS = 15;
    private static final int SENDS_WHILE_MARKETING_FAILS = 20;
    /** The most a failing marketing stream may make the transactional median grow: a factor, plus a second. */
    private static final int MEDIAN_FACTOR = 20;

    private static final Duration MEDIAN_SLACK = Duration.ofSeconds(1);
    /** What marketing's rate limit asks it to wait: longer than any transactional send may take. */
    private static final int RETRY_AFTER_SECONDS = 6;

    @TempDir
    static Path dir;

    private static IsolationPeers peers;

    /** One send and how long it took: a receipt, or the Mailpath exception its caller got. */
    record Timed(SendReceipt receipt, MailException failure, Duration took) {}

    /** The sends of one scenario: transactional before and while marketing failed, and marketing's own. */
    record Run(List<Timed> baseline, List<Timed> whileFailing, List<Timed> marketing, int transactionalSends) {}

    @BeforeAll
    static void startPeers() throws Exception {
        peers = new IsolationPeers(dir);
    }

    @AfterAll
    static void stopPeers() {
        peers.close();
    }

    @BeforeEach
    void resetPeers() {
        peers.reset();
    }

    @Test
    void marketingKeyRevoked() throws Exception {
        peers.answer(MARKETING_KEY, error(401, "unauthorized", "API key revoked"));
        try (MailpathDeployment app = IsolationPeers.deploy(peers.config())) {
            Run run = whileMarketingFails(app.bean(IsolationSenders.class), () -> peers.requests(MARKETING_KEY) > 0);
            assertTransactionalIsolated(run);
            assertMarketingFailed(run, MailAuthenticationException.class, 401);
        }
    }

    @Test
    void marketingAccountSuspended() throws Exception {
        peers.answer(MARKETING_KEY, error(403, "forbidden", "account suspended"));
        try (MailpathDeployment app = IsolationPeers.deploy(peers.config())) {
            Run run = whileMarketingFails(app.bean(IsolationSenders.class), () -> peers.requests(MARKETING_KEY) > 0);
            assertTransactionalIsolated(run);
            assertMarketingFailed(run, MailAuthenticationException.class, 403);
        }
    }

    /** Marketing waits for its Retry-After (and then fails); transactional never waits for it. */
    @Test
    void marketingRateLimited() throws Exception {
        peers.answer(
                MARKETING_KEY,
                error(429, "rate_limited", "quota exceeded").withHeader("Retry-After", "" + RETRY_AFTER_SECONDS));
        Map<String, String> config = peers.config();
        config.put("mailpath.stream.marketing.failover.rate-limit-max-wait-ms", "10000");
        try (MailpathDeployment app = IsolationPeers.deploy(config)) {
            Run run = whileMarketingFails(app.bean(IsolationSenders.class), () -> peers.requests(MARKETING_KEY) > 0);
            assertTransactionalIsolated(run);
            assertMarketingFailed(run, MailRateLimitedException.class, 429);
            // Marketing did wait for its Retry-After, then tried once more: the wait was real, and not transactional's.
            assertThat(run.marketing()).allSatisfy(t -> assertThat(t.took())
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(RETRY_AFTER_SECONDS)));
            assertThat(peers.requests(MARKETING_KEY))
                    .isEqualTo(2 * run.marketing().size());
            assertThat(run.whileFailing())
                    .allSatisfy(t -> assertThat(t.took()).isLessThan(Duration.ofSeconds(RETRY_AFTER_SECONDS)));
        }
    }

    /** Marketing sends through its own relay only, and that relay is gone; transactional keeps its own relay and key. */
    @Test
    void marketingRelayDown() throws Exception {
        try (TestSmtpServer marketingRelay = new TestSmtpServer(TestSmtpServer.Tls.STARTTLS_REQUIRED, peers.tls, true);
                FaultyProxy dropped = FaultyProxy.to(marketingRelay.port())) {
            // Every connection to marketing's relay fails as on a closed port.
            dropped.refuse();
            Map<String, String> config = peers.config();
            config.put("mailpath.stream.marketing.transports", "smtp");
            config.put("mailpath.stream.marketing.smtp.host", "127.0.0.1");
            config.put("mailpath.stream.marketing.smtp.port", String.valueOf(dropped.port()));
            config.put("mailpath.stream.marketing.smtp.username", TestSmtpServer.USER);
            config.put("mailpath.stream.marketing.smtp.password", TestSmtpServer.PASSWORD);
            config.put("mailpath.stream.marketing.smtp.trust-store", peers.tls.trustStore.toString());
            config.put("mailpath.stream.marketing.smtp.trust-store-password", new String(TestTls.PASSWORD));
            try (MailpathDeployment app = IsolationPeers.deploy(config)) {
                IsolationSenders senders = app.bean(IsolationSenders.class);
                Run run = whileMarketingFails(senders, () -> false);
                assertTransactionalIsolated(run);
                assertMarketingFailed(run, MailUnavailableException.class, MailException.NO_STATUS);
                assertThat(run.marketing())
                        .allSatisfy(t -> assertThat(t.failure().transport()).isEqualTo("smtp"));
            }
            assertThat(marketingRelay.received).isEmpty();
            // Transactional's relay was never needed: its primary was never in doubt.
            assertThat(peers.transactionalRelay.received).isEmpty();
            assertThat(peers.requests(MARKETING_KEY)).isZero();
        }
    }

    /**
     * Marketing's API connections are dropped until its circuit opens and refuses its sends; transactional's circuit
     * stays closed, its sends go through the same endpoint as before.
     */
    @Test
    void marketingCircuitOpen() throws Exception {
        peers.answer(MARKETING_KEY, okJson("{\"transmissionId\":\"tx-marketing\"}"));
        try (FaultyProxy proxy = FaultyProxy.to(peers.api.server.port())) {
            Map<String, String> config = peers.config();
            config.put("mailpath.stream.marketing.api.url", "http://127.0.0.1:" + proxy.port());
            // A small window, and open for the rest of the test once open.
            config.put("io.mailpath.routing.PrimaryPath/send/CircuitBreaker/requestVolumeThreshold", "4");
            config.put("io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay", "120000");
            try (MailpathDeployment app = IsolationPeers.deploy(config)) {
                IsolationSenders senders = app.bean(IsolationSenders.class);
                // Marketing's path works at first: the proxy forwards to the shared endpoint.
                SendReceipt first = senders.marketing().send(message(MARKETING, 0));
                assertThat(first.transport()).isEqualTo("api");
                assertThat(first.stream()).isEqualTo(MARKETING);
                int marketingRequests = peers.requests(MARKETING_KEY);
                assertThat(marketingRequests).isEqualTo(1);

                // Then every connection of marketing's is dropped: the one it keeps open is reset, new ones refused.
                proxy.refuse();
                proxy.endOpenConnections(FaultyProxy.Action.RESET);
                Run run = whileMarketingFails(senders, () -> false);
                assertTransactionalIsolated(run);
                assertThat(run.marketing()).allSatisfy(t -> assertThat(t.failure())
                        .as("marketing's outcome")
                        .isNotNull());
                assertThat(run.marketing())
                        .as("marketing sends refused by its circuit while transactional sent")
                        .anySatisfy(t -> assertThat(t.failure().getMessage()).contains("circuit breaker"));

                // Marketing's circuit refuses at once, without a try; transactional's lets every call through.
                MailUnavailableException refused =
                        catchThrowableOfType(MailUnavailableException.class, () -> senders.marketing()
                                .send(message(MARKETING, 1)));
                assertThat(refused.getMessage()).contains("circuit breaker");
                assertThat(refused.transport()).isEqualTo("api");
                assertThat(senders.state().circuitRefusing(MARKETING, "api")).isTrue();
                assertThat(senders.state().circuitRefusing(TRANSACTIONAL, "api"))
                        .isFalse();
                assertDeliveredThroughApiAtFirstTry(senders.transactional().send(message(TRANSACTIONAL, 1)));
                assertThat(senders.state().circuitRefusing(MARKETING, "api")).isTrue();
                assertThat(senders.state().circuitRefusing(TRANSACTIONAL, "api"))
                        .isFalse();
                // Nothing of marketing's reached the endpoint once its connections were dropped.
                assertThat(peers.requests(MARKETING_KEY)).isEqualTo(marketingRequests);
            }
        }
    }

    /**
     * The shared endpoint down for every key (503, then resets): both streams see it. Transactional fails over to its
     * own relay; marketing, which has no other path, fails.
     */
    @Test
    void sharedEndpointDownForEveryKey() throws Exception {
        Map<String, String> config = peers.config();
        try (MailpathDeployment app = IsolationPeers.deploy(config)) {
            IsolationSenders senders = app.bean(IsolationSenders.class);
            peers.answerEveryKey(error(503, "unavailable", "down for maintenance"));
            for (int i = 0; i < 5; i++) {
                int n = i;
                SendReceipt r = senders.transactional().send(message(TRANSACTIONAL, n));
                assertFailedOverToOwnRelay(r);
                MailUnavailableException e =
                        catchThrowableOfType(MailUnavailableException.class, () -> senders.marketing()
                                .send(message(MARKETING, n)));
                assertThat(e).as("marketing's outcome").isNotNull();
                assertThat(e.transport()).isEqualTo("api");
            }
            assertThat(peers.requests(TRANSACTIONAL_KEY)).isPositive();
            assertThat(peers.requests(MARKETING_KEY)).isPositive();

            // Resets after the request was read: the API may have taken the message, and each stream says so.
            peers.answerEveryKey(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
            for (int i = 5; i < 10; i++) {
                int n = i;
                SendReceipt r = senders.transactional().send(message(TRANSACTIONAL, n));
                assertFailedOverToOwnRelay(r);
                MailException e = catchThrowableOfType(
                        MailException.class, () -> senders.marketing().send(message(MARKETING, n)));
                assertThat(e).as("marketing's outcome").isNotNull();
                assertThat(e.kind()).isIn(FailureKind.UNCERTAIN, FailureKind.UNAVAILABLE);
            }
            assertThat(peers.transactionalRelay.received).hasSize(10);
        }
        assertThat(peers.api.violations()).isEmpty();
    }

    private static void assertFailedOverToOwnRelay(SendReceipt r) {
        assertThat(r.stream()).isEqualTo(TRANSACTIONAL);
        assertThat(r.transport()).isEqualTo("smtp");
        assertThat(r.failedOver()).isTrue();
        assertThat(r.attempts().get(0).transport()).isEqualTo("api");
        assertThat(r.attempts().get(r.attempts().size() - 1).isSuccess()).isTrue();
    }

    /**
     * Measures transactional sends alone, then again while {@value #MARKETING_SENDERS} threads send marketing
     * messages without pause (with {@code send} and {@code sendAsync} in turn), from the moment marketing is under way:
     * each of its threads began a send, and one ended or {@code marketingUnderWay} says one reached its peer.
     */
    private static Run whileMarketingFails(IsolationSenders senders, BooleanSupplier marketingUnderWay)
            throws Exception {
        int n = 0;
        for (int i = 0; i < WARM_UP_SENDS; i++, n++) {
            assertDeliveredThroughApiAtFirstTry(
                    timed(senders.transactional(), TRANSACTIONAL, n).receipt());
        }
        List<Timed> baseline = new ArrayList<>();
        for (int i = 0; i < BASELINE_SENDS; i++, n++) {
            baseline.add(timed(senders.transactional(), TRANSACTIONAL, n));
        }

        List<Timed> marketing = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger begun = new AtomicInteger();
        ExecutorService marketingThreads = Executors.newFixedThreadPool(MARKETING_SENDERS);
        List<Timed> whileFailing = new ArrayList<>();
        try {
            for (int t = 0; t < MARKETING_SENDERS; t++) {
                marketingThreads.execute(() -> {
                    while (!stop.get()) {
                        marketing.add(timed(senders.marketing(), MARKETING, begun.incrementAndGet()));
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (begun.get() < MARKETING_SENDERS || (marketing.isEmpty() && !marketingUnderWay.getAsBoolean())) {
                assertThat(System.nanoTime()).as("marketing under way").isLessThan(deadline);
                Thread.sleep(5);
            }
            for (int i = 0; i < SENDS_WHILE_MARKETING_FAILS; i++, n++) {
                whileFailing.add(timed(senders.transactional(), TRANSACTIONAL, n));
            }
        } finally {
            stop.set(true);
            marketingThreads.shutdown();
        }
        assertThat(marketingThreads.awaitTermination(2, TimeUnit.MINUTES))
                .as("marketing's senders ended")
                .isTrue();
        Run run = new Run(baseline, whileFailing, List.copyOf(marketing), n);
        System.out.printf(
                Locale.ROOT,
                "%s: transactional median %d ms alone, %d ms (max %d ms) while marketing failed;"
                        + " marketing sends %d, their median %d ms%n",
                Thread.currentThread().getStackTrace()[2].getMethodName(),
                median(baseline).toMillis(),
                median(whileFailing).toMillis(),
                whileFailing.stream()
                        .map(Timed::took)
                        .max(Duration::compareTo)
                        .orElseThrow()
                        .toMillis(),
                run.marketing().size(),
                median(run.marketing()).toMillis());
        return run;
    }

    /** Every transactional message through api at the first try, in its stream, no slower beyond the margin. */
    private static void assertTransactionalIsolated(Run run) {
        List<Timed> all = new ArrayList<>(run.baseline());
        all.addAll(run.whileFailing());
        for (Timed t : all) {
            assertThat(t.failure()).as("a transactional send failed").isNull();
            assertDeliveredThroughApiAtFirstTry(t.receipt());
            assertThat(t.took()).as("one transactional send").isLessThan(ONE_SEND_BOUND);
        }
        assertThat(median(run.whileFailing()))
                .as("transactional median while marketing failed, against %s alone", median(run.baseline()))
                .isLessThanOrEqualTo(
                        median(run.baseline()).multipliedBy(MEDIAN_FACTOR).plus(MEDIAN_SLACK));
        // One request a message at the endpoint: no retry of transactional's, and none lost.
        assertThat(peers.requests(TRANSACTIONAL_KEY)).isEqualTo(run.transactionalSends());
        assertThat(peers.transactionalRelay.received).isEmpty();
        assertThat(peers.api.violations())
                .as("requests that break the OpenAPI spec")
                .isEmpty();
    }

    /** Marketing failed every time, as its failure says, in its own stream; it was sending while transactional did. */
    private static void assertMarketingFailed(Run run, Class<? extends MailException> type, int status) {
        assertThat(run.marketing()).hasSizeGreaterThanOrEqualTo(MARKETING_SENDERS);
        for (Timed t : run.marketing()) {
            assertThat(t.receipt()).as("a marketing receipt").isNull();
            assertThat(t.failure()).isInstanceOf(type);
            assertThat(t.failure().status()).isEqualTo(status);
        }
    }

    /** Sends with {@code send} or {@code sendAsync} (odd numbers), timing the caller's wait. */
    private static Timed timed(MailTransport transport, String stream, int n) {
        long start = System.nanoTime();
        try {
            SendReceipt r = n % 2 == 0
                    ? transport.send(message(stream, n))
                    : transport
                            .sendAsync(message(stream, n))
                            .toCompletableFuture()
                            .get(2, TimeUnit.MINUTES);
            return new Timed(r, null, Duration.ofNanos(System.nanoTime() - start));
        } catch (MailException e) {
            return new Timed(null, e, Duration.ofNanos(System.nanoTime() - start));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MailException me) {
                return new Timed(null, me, Duration.ofNanos(System.nanoTime() - start));
            }
            throw new AssertionError("sendAsync failed with something other than a MailException", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a " + stream + " sendAsync did not end within 2 minutes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Duration median(List<Timed> sends) {
        List<Duration> sorted = sends.stream().map(Timed::took).sorted().toList();
        return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
    }

    private static ResponseDefinitionBuilder error(int status, String code, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }
}
