package io.mailpath.transport.api;

import com.sun.net.httpserver.HttpServer;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.peers.TransportContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;

/**
 * The API transport runs the transport contract that any transport can run: its one HTTP exchange (the request, the
 * reply) under a close, a reset and a stall at each step. The peer is a plain HTTP server that accepts a transmission
 * once it has read the whole body, and answers as the API does; the replies the API can send (statuses, redirects,
 * bodies cut after the status line) are in {@link ApiFaultMatrixTest}.
 *
 * <p>The message is the contract's default, larger than the sockets' buffers: in the stall cells before the request is
 * complete the write blocks, and the write timeout ends it as unavailable.
 */
@Tag("slow") // the fault matrix at every protocol step
class ApiTransportContractTest extends TransportContract {
    private static final String TIMEOUT_MS = "2000";
    /** Writing 6.5 MB on loopback takes well under a second; this leaves a loaded machine room. */
    private static final String WRITE_TIMEOUT_MS = "5000";

    @Override
    protected Peer startPeer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        AtomicInteger accepted = new AtomicInteger();
        server.createContext(ApiFixture.PATH, exchange -> {
            try (exchange;
                    InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
                // The whole transmission arrived: accepted before the reply, as the API does.
                ApiFixture.acceptExchange(exchange, "tx-" + accepted.incrementAndGet());
            }
        });
        server.start();
        return new Peer() {
            @Override
            public int port() {
                return server.getAddress().getPort();
            }

            @Override
            public int accepted() {
                return accepted.get();
            }

            @Override
            public void close() {
                server.stop(0);
            }
        };
    }

    @Override
    protected DirectTransport transportTo(String host, int port) {
        return Transports.create(
                "api",
                Map.of(
                        "mailpath.api.url",
                        "http://" + host + ":" + port,
                        "mailpath.api.insecure-allow-http",
                        "true",
                        "mailpath.api.key",
                        ApiFixture.KEY,
                        "mailpath.api.connect-timeout-ms",
                        TIMEOUT_MS,
                        "mailpath.api.read-timeout-ms",
                        TIMEOUT_MS,
                        "mailpath.api.write-timeout-ms",
                        WRITE_TIMEOUT_MS));
    }

    @Override
    protected Optional<String> secret() {
        return Optional.of(ApiFixture.KEY);
    }
}
