package io.mailpath.transport.api;

import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import io.mailpath.spi.DirectTransport;
import io.mailpath.testing.peers.TransmissionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a transport builds once and shares between sends: the {@code Jsonb} its Rest Client reads responses with, and
 * a pool of connections large enough for the senders it serves ({@code mailpath.api.max-connections}).
 */
class ApiClientReuseTest {
    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    /** Long enough for a busy machine; only a failing test waits this long. */
    private static final long PATIENCE_SECONDS = 30;

    /**
     * Counted at the JSON-B implementation ({@link CountingJsonbProvider}, which every {@code JsonbBuilder.create()}
     * in this JVM goes through), not at Mailpath's own resolver: a client that ignored the resolver and built its own
     * {@code Jsonb} per response, as RESTEasy does without one, would show here as one more for every send.
     */
    @Test
    void manySendsBuildNoJsonbBeyondTheTransportsOwn() {
        api.accept("tx-shared");
        int beforeTransport = CountingJsonbProvider.built();
        DirectTransport transport = api.transport();
        int afterTransport = CountingJsonbProvider.built();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(transport.send(simple().build()).transmissionId());
        }

        assertThat(ids).hasSize(25).containsOnly("tx-shared");
        assertThat(CountingJsonbProvider.built() - afterTransport)
                .as("Jsonb instances built during 25 sends")
                .isZero();
        assertThat(afterTransport - beforeTransport)
                .as("Jsonb instances built with the transport")
                .isEqualTo(1);
    }

    @Test
    void sixteenSendersAreInFlightAtOnceByDefault() throws Exception {
        int senders = 16;
        try (Peer peer = new Peer(senders)) {
            List<SendReceipt> receipts = sendAtOnce(api.transport(peer.config()), senders, 1);

            assertThat(receipts).hasSize(senders);
            assertThat(peer.allArrivedTogether)
                    .as("all %d requests were at the peer at once", senders)
                    .isTrue();
            assertThat(peer.mostInFlight.get()).isEqualTo(senders);
        }
    }

    @Test
    void maxConnectionsCapsTheConnectionsOpenAtOnce() throws Exception {
        int cap = 4;
        try (Peer peer = new Peer(cap)) {
            Map<String, String> config = peer.config();
            config.put("mailpath.api.max-connections", String.valueOf(cap));

            List<SendReceipt> receipts = sendAtOnce(api.transport(config), 2 * cap, 3);

            assertThat(receipts).hasSize(2 * cap * 3);
            assertThat(peer.allArrivedTogether).isTrue();
            // Twice as many senders as connections: the pool made the others wait, and reused its connections.
            assertThat(peer.mostInFlight.get()).isEqualTo(cap);
            assertThat(peer.clientPorts).hasSize(cap);
        }
    }

    @Test
    void aSendThatFindsNoFreeConnectionIsUnavailable() throws Exception {
        try (Peer peer = new Peer(2)) {
            Map<String, String> config = peer.config();
            config.put("mailpath.api.max-connections", "1");
            DirectTransport transport = api.transport(config);
            ExecutorService senders = Executors.newFixedThreadPool(2);
            try {
                Future<SendReceipt> holding = senders.submit(() -> transport.send(simple().build()));
                assertThat(peer.firstArrival.await(PATIENCE_SECONDS, TimeUnit.SECONDS))
                        .isTrue();

                // The one connection is held by the first send: the second waits the connect timeout for it (a pool
                // without that limit would wait for ever, and this get would time out).
                MailException e = senders.submit(() -> api.sendFailing(transport, simple().build()))
                        .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                peer.release();

                assertThat(e).isInstanceOf(MailUnavailableException.class).hasMessageContaining("max-connections");
                assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
                assertThat(holding.get(PATIENCE_SECONDS, TimeUnit.SECONDS).transmissionId())
                        .isEqualTo("tx-pooled");
                assertThat(peer.mostInFlight.get()).isEqualTo(1);
                assertThat(peer.clientPorts).hasSize(1);
            } finally {
                peer.release();
                senders.shutdownNow();
            }
        }
    }

    /**
     * A peer that stops reading one request ties up that send's connection only: the write timeout breaks that
     * exchange, a send meanwhile has a connection of its own, and the transport sends afterwards as before.
     */
    @Test
    void aStalledExchangeIsBrokenAloneAndTheOtherSendsGoOn() throws Exception {
        // Larger than what loopback sockets' buffers take in (a few MB each way), so that the write blocks.
        byte[] big = new byte[12 * 1024 * 1024];
        new Random(11).nextBytes(big);
        Mail stalling = simple().attach(Attachment.named("big.bin")
                        .type("application/octet-stream")
                        .bytes(big))
                .build();
        try (StallingPeer peer = new StallingPeer()) {
            DirectTransport transport = api.transport(peer.config());
            ExecutorService senders = Executors.newSingleThreadExecutor();
            try {
                Future<MailException> first = senders.submit(() -> api.sendFailing(transport, stalling));
                assertThat(peer.stalled.await(PATIENCE_SECONDS, TimeUnit.SECONDS))
                        .isTrue();

                assertThat(transport.send(simple().build()).transmissionId()).isEqualTo("tx-2");
                MailException e = first.get(2 * PATIENCE_SECONDS, TimeUnit.SECONDS);
                assertThat(e).isInstanceOf(MailUnavailableException.class).hasMessageContaining("write-timeout-ms");
                assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
                assertThat(transport.send(simple().build()).transmissionId()).isEqualTo("tx-3");
                assertThat(peer.answered.get()).as("requests the peer answered").isEqualTo(2);
            } finally {
                peer.release();
                senders.shutdownNow();
            }
        }
    }

    @Test
    void maxConnectionsMustBePositive() {
        Map<String, String> config = api.config();
        config.put("mailpath.api.max-connections", "0");

        assertThatThrownBy(() -> api.transport(config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessage("mailpath.api.max-connections must be a whole number from 1 to 2147483647, not '0'");
    }

    @Test
    void countsThatDoNotFitAnIntAreRefusedRatherThanWrapped() {
        for (String key : List.of("mailpath.api.max-connections", "mailpath.api.fan-out-concurrency")) {
            Map<String, String> config = api.config();
            config.put(key, "4294967297"); // 1 once cut to an int

            assertThatThrownBy(() -> api.transport(config))
                    .isInstanceOf(MailConfigurationException.class)
                    .hasMessage(key + " must be a whole number from 1 to 2147483647, not '4294967297'");
        }
    }

    @Test
    void timeoutsThatDoNotFitTheHttpClientsIntAreRefusedRatherThanWrapped() {
        for (String key : List.of(
                "mailpath.api.connect-timeout-ms",
                "mailpath.api.read-timeout-ms",
                "mailtarget-api/mp-rest/connectTimeout",
                "mailtarget-api/mp-rest/readTimeout")) {
            Map<String, String> config = api.config();
            config.remove("mailpath.api.connect-timeout-ms");
            config.remove("mailpath.api.read-timeout-ms");
            config.put(key, "2147483648"); // negative once cut to an int: the client's default, no timeout at all

            assertThatThrownBy(() -> api.transport(config))
                    .isInstanceOf(MailConfigurationException.class)
                    .hasMessageStartingWith(key + " must be a number of milliseconds from 1 to 2147483647");
        }
    }

    /** Sends {@code each} messages from each of {@code senders} threads, all started together. */
    private static List<SendReceipt> sendAtOnce(DirectTransport transport, int senders, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<SendReceipt>>> sent = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                sent.add(pool.submit(() -> {
                    start.await();
                    List<SendReceipt> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(transport.send(simple().build()));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<SendReceipt> all = new ArrayList<>();
            for (Future<List<SendReceipt>> f : sent) {
                all.addAll(f.get(4 * PATIENCE_SECONDS, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * An API on loopback that holds every request until {@code together} of them are in flight at once (or its
     * patience runs out), then answers each with a transmission id; it counts the requests in flight and the client
     * connections (by port) it saw.
     */
    private static final class Peer implements AutoCloseable {
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final CountDownLatch firstArrival = new CountDownLatch(1);
        volatile boolean allArrivedTogether;

        private final AtomicInteger inFlight = new AtomicInteger();
        private final CountDownLatch arrived;
        private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        private final ExecutorService handlers = Executors.newCachedThreadPool();
        private final HttpServer server;

        Peer(int together) throws IOException {
            arrived = new CountDownLatch(together);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(handlers);
            server.createContext(TransmissionSpec.PATH, this::handle);
            server.start();
        }

        Map<String, String> config() {
            Map<String, String> c = api.config();
            c.put("mailpath.api.url", "http://127.0.0.1:" + server.getAddress().getPort());
            c.put("mailpath.api.read-timeout-ms", String.valueOf(TimeUnit.SECONDS.toMillis(2 * PATIENCE_SECONDS)));
            return c;
        }

        /** Lets every request held so far, and every later one, go on at once. */
        void release() {
            while (arrived.getCount() > 0) {
                arrived.countDown();
            }
        }

        private void handle(HttpExchange exchange) throws IOException {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            firstArrival.countDown();
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            arrived.countDown();
            try {
                if (arrived.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    allArrivedTogether = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            ApiFixture.acceptExchange(exchange, "tx-pooled");
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    /**
     * An API on loopback that reads the first 16 KB of its first request's body and then nothing more, keeping that
     * connection open until {@link #release()}; it reads every later request whole and answers it.
     */
    private static final class StallingPeer implements AutoCloseable {
        final CountDownLatch stalled = new CountDownLatch(1);
        final AtomicInteger answered = new AtomicInteger();

        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger requests = new AtomicInteger();
        private final ExecutorService handlers = Executors.newCachedThreadPool();
        private final HttpServer server;

        StallingPeer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(handlers);
            server.createContext(TransmissionSpec.PATH, this::handle);
            server.start();
        }

        Map<String, String> config() {
            Map<String, String> c = api.config();
            c.put("mailpath.api.url", "http://127.0.0.1:" + server.getAddress().getPort());
            c.put("mailpath.api.write-timeout-ms", "2000");
            c.put("mailpath.api.max-request-bytes", String.valueOf(64L * 1024 * 1024));
            return c;
        }

        void release() {
            released.countDown();
        }

        private void handle(HttpExchange exchange) throws IOException {
            int n = requests.incrementAndGet();
            try (exchange;
                    InputStream in = exchange.getRequestBody()) {
                if (n == 1) {
                    in.readNBytes(16 * 1024);
                    stalled.countDown();
                    released.await(4 * PATIENCE_SECONDS, TimeUnit.SECONDS);
                    return;
                }
                in.transferTo(OutputStream.nullOutputStream());
                answered.incrementAndGet();
                ApiFixture.acceptExchange(exchange, "tx-" + n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            release();
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
