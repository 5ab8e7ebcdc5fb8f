package io.mailpath.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mailpath.e2e.IsolationPeers.MARKETING;
import static io.mailpath.e2e.IsolationPeers.MARKETING_KEY;
import static io.mailpath.e2e.IsolationPeers.TRANSACTIONAL;
import static io.mailpath.e2e.IsolationPeers.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailRateLimitedException;
import io.mailpath.SendReceipt;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Asynchronous sends share the container's one Fault Tolerance pool, so a stream whose sends wait must not hold the
 * threads another stream needs: a burst of marketing {@code sendAsync} calls that each wait out a {@code Retry-After}
 * (far more of them than the pool has threads) leaves room for a transactional {@code sendAsync}, which is delivered
 * while every marketing send is still waiting.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class StreamAsyncIsolationTest {
    /** Longer than a transactional send takes on a busy machine; each marketing send waits this long at least. */
    private static final int RETRY_AFTER_SECONDS = 10;

    /** More than the Fault Tolerance pool's 100 threads (SmallRye's default here), in two of marketing's lanes. */
    private static final int MARKETING_BURST = 150;

    @TempDir
    static Path dir;

    @Test
    void aStreamsWaitingAsynchronousSendsLeaveThePoolToTheOtherStreams() throws Exception {
        try (IsolationPeers peers = new IsolationPeers(dir)) {
            peers.reset();
            peers.answer(
                    MARKETING_KEY,
                    aResponse().withStatus(429).withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
            Map<String, String> config = peers.config();
            config.put("mailpath.stream.marketing.failover.rate-limit-max-wait-ms", "60000");
            // Most of the pool for marketing, so that the burst ends in two rounds; the rest is free for the others.
            config.put("mailpath.stream.marketing.async.max-concurrency", "80");
            try (MailpathDeployment app = IsolationPeers.deploy(config)) {
                IsolationSenders senders = app.bean(IsolationSenders.class);
                List<CompletableFuture<SendReceipt>> burst = new ArrayList<>();
                for (int i = 0; i < MARKETING_BURST; i++) {
                    burst.add(
                            senders.marketing().sendAsync(message(MARKETING, i)).toCompletableFuture());
                }

                SendReceipt transactional = senders.transactional()
                        .sendAsync(message(TRANSACTIONAL, 1))
                        .toCompletableFuture()
                        .get(2, TimeUnit.MINUTES);

                assertThat(transactional.transport()).isEqualTo("api");
                assertThat(transactional.attempts()).hasSize(1);
                assertThat(burst)
                        .as("every marketing send still waits for its Retry-After of %d s", RETRY_AFTER_SECONDS)
                        .noneMatch(CompletableFuture::isDone);

                // Every marketing send ends, rate limited: none is lost in its lane.
                for (CompletableFuture<SendReceipt> send : burst) {
                    try {
                        send.get(10, TimeUnit.MINUTES);
                        throw new AssertionError("a marketing send was not rate limited");
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(MailRateLimitedException.class);
                    }
                }
            }
        }
    }
}
