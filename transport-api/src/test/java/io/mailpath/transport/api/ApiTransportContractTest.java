package io.mailpath.transport.api;

import com.sun.net.httpserver.HttpServer;
import io.mailpath.Mail;
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

/**
 * The API transport runs the transport contract that any transport can run: its one HTTP exchange (the request, the
 * reply) under a close, a reset and a stall at each step. The peer is a plain HTTP server that accepts a transmission
 * once it has read the whole body, and answers as the API does; the replies the API can send (statuses, redirects,
 * bodies cut after the status line) are in {@link ApiFaultMatrixTest}.
 *
 * <p>The message is small (a few KB): the transport has a connect and a read timeout but no write timeout (MicroProfile
 * Rest Client offers none), so a peer that stops reading while a request larger than the sockets' buffers is being
 * written holds the send for as long as the peer keeps the connection open. With the contract's default 6.5 MB message
 * the stall cells on connect and mid-request do not return. A small request is written into the buffers at once, so
 * those cells end at the read timeout, as uncertain.
 */
class ApiTransportContractTest extends TransportContract {
    private static final String TIMEOUT_MS = "2000";

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
                        TIMEOUT_MS));
    }

    @Override
    protected Mail message() {
        return ApiFixture.simple().text("Body\n".repeat(1_000)).build();
    }

    @Override
    protected Optional<String> secret() {
        return Optional.of(ApiFixture.KEY);
    }
}
