package io.mailpath.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.testing.peers.FaultyProxy.Action;
import io.mailpath.testing.peers.FaultyProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a peer that greets, then records what it reads until end of stream. */
class FaultyProxyTest {
    private static final String GREETING = "0123456789";

    private ServerSocket peer;
    private CompletableFuture<String> peerRead;
    private FaultyProxy proxy;

    @BeforeEach
    void start() throws IOException {
        peer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        peerRead = CompletableFuture.supplyAsync(() -> {
            try (Socket s = peer.accept()) {
                s.getOutputStream().write(GREETING.getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return "peer failed: " + e;
            }
        });
        proxy = FaultyProxy.to(peer.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        peer.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(5_000);
        return s;
    }

    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
    }

    private String peerGot() throws Exception {
        return peerRead.get(5, TimeUnit.SECONDS);
    }

    @Test
    void forwardsBothWaysUntilTheClientCloses() throws Exception {
        try (Socket s = connect()) {
            assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(peerGot()).isEqualTo("hello");
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(proxy.accepted()).isEqualTo(1);
        assertThat(proxy.fired()).isFalse();
    }

    @Test
    void recordsTheTurnsOfAConversation() throws Exception {
        proxy.recordTurns();
        try (Socket s = connect()) {
            assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
            s.getOutputStream().write("hel".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.getOutputStream().write("lo".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(peerGot()).isEqualTo("hello");
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();

        // The greeting, then the client's two writes as one turn: nothing came back between them.
        assertThat(proxy.turns())
                .extracting(FaultyProxy.Turn::direction, FaultyProxy.Turn::bytes)
                .containsExactly(
                        Tuple.tuple(Direction.SERVER_TO_CLIENT, 10L), Tuple.tuple(Direction.CLIENT_TO_SERVER, 5L));
        assertThat(proxy.turns().get(0).start()).isEqualTo(GREETING);
    }

    @Test
    void recordsNothingUnlessAsked() throws Exception {
        try (Socket s = connect()) {
            assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
        }
        assertThatThrownBy(proxy::turns).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closesAtAMarkerForwardingOnlyTheBytesBeforeIt() throws Exception {
        proxy.at(Direction.CLIENT_TO_SERVER, "RCPT", Action.CLOSE);
        try (Socket s = connect()) {
            assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
            s.getOutputStream().write("MAIL\r\nRC".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(100); // the marker split across two reads
            s.getOutputStream().write("PT\r\nDATA".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        // "RC" went through before "PT" completed the marker.
        assertThat(peerGot()).isEqualTo("MAIL\r\nRC");
        assertThat(proxy.fired()).isTrue();
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void afterAMarkerForwardsTheMarkerAndResetsTheClient() throws Exception {
        proxy.after(Direction.CLIENT_TO_SERVER, "\r\n.\r\n", Action.RESET);
        try (Socket s = connect()) {
            assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
            s.getOutputStream().write("body\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
        }
        assertThat(peerGot()).isEqualTo("body\r\n.\r\n");
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void cutsTheServersStreamAfterNBytes() throws Exception {
        proxy.afterBytes(Direction.SERVER_TO_CLIENT, 4, Action.CLOSE);
        try (Socket s = connect()) {
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("0123");
        }
        assertThat(peerGot()).isEmpty();
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aStallKeepsTheConnectionOpenAndForwardsNothingMore() throws Exception {
        proxy.at(Direction.CLIENT_TO_SERVER, "DATA", Action.STALL);
        Socket s = connect();
        assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
        s.getOutputStream().write("MAIL\r\nDATA\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(300);
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(s.isClosed()).isFalse();
        assertThat(proxy.open()).isEqualTo(1);
        // A client that does not close its connection is seen as open.
        assertThat(proxy.awaitClosed(Duration.ofMillis(300))).isFalse();
        s.close();
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(peerGot()).isEqualTo("MAIL\r\n");
    }

    @Test
    void onConnectTheClientSeesNoGreeting() throws Exception {
        proxy.onConnect(Action.CLOSE);
        try (Socket s = connect()) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(proxy.fired()).isTrue();
        assertThat(proxy.awaitClosed(Duration.ofSeconds(5))).isTrue();
        // The fault fired once: the next connection goes through.
        try (Socket s = connect()) {
            assertThat(read(s.getInputStream(), 10)).isEqualTo(GREETING);
        }
    }

    @Test
    void refusedConnectionsFailAsOnAClosedPort() {
        proxy.refuse();
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
    }
}
