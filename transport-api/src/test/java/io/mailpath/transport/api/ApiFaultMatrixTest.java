package io.mailpath.transport.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mailpath.transport.api.ApiFixture.PATH;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.mailpath.Attachment;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import io.mailpath.spi.DirectTransport;
import io.mailpath.testing.peers.FaultyProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API path against real HTTP peers on loopback, with a fault at each step of the exchange. One invariant holds in
 * every cell: when the peer received the complete request, the caller gets a receipt or an uncertain failure (or the
 * kind of the status the peer answered with); when it did not, the caller gets an unavailable failure. After the
 * class, the matrix is printed as a table.
 *
 * <p>Whether the peer received the whole request is read from the peer: WireMock records a request only once it has
 * read all of it; the raw peer below counts the body bytes it read.
 */
class ApiFaultMatrixTest {
    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    /** The outer bound for any one send: the longest read timeout here (20 s) plus 30 s, never a tight window. */
    private static final Duration BOUND = Duration.ofSeconds(50);

    private static final List<String[]> ROWS = new CopyOnWriteArrayList<>();
    /** The steps of one exchange, in the order the table shows them. */
    private static final List<String> STEPS =
            List.of("connect", "request body", "after request", "reply headers", "reply body", "reply");

    /** What one send gave: a receipt or a failure, and how long it took. */
    private record Outcome(SendReceipt receipt, MailException failure, Duration took) {
        String describe() {
            if (receipt != null) {
                return receipt.transmissionId() == null
                        ? "receipt, transmissionId unknown"
                        : "receipt " + receipt.transmissionId();
            }
            return failure.kind() + (failure.status() == MailException.NO_STATUS ? "" : " " + failure.status());
        }
    }

    /**
     * Short timeouts: connect 2 s, read 2 s. On a loaded machine a reply may take longer than that; a cell whose
     * peer got the request accepts uncertain anyway, so only the cells that assert a reply use {@link #patient}.
     */
    private static Map<String, String> config(String url) {
        Map<String, String> c = api.config();
        c.put("mailpath.api.url", url);
        c.put("mailpath.api.connect-timeout-ms", "2000");
        c.put("mailpath.api.read-timeout-ms", "2000");
        return c;
    }

    /** As {@link #config}, with a read timeout no loaded machine reaches, for the cells that assert the reply. */
    private static Map<String, String> patient(String url) {
        Map<String, String> c = config(url);
        c.put("mailpath.api.read-timeout-ms", "20000");
        return c;
    }

    private static Outcome send(Map<String, String> config, Mail mail) {
        DirectTransport t = api.transport(config);
        long start = System.nanoTime();
        SendReceipt receipt = null;
        MailException failure = null;
        try {
            receipt = t.send(mail);
        } catch (MailException e) {
            failure = e;
            api.record(e);
        }
        return new Outcome(receipt, failure, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Records the cell and checks the invariant.
     *
     * @param answered the status the peer answered with, or {@link MailException#NO_STATUS} when it sent none
     */
    private static void check(String step, String fault, boolean received, int answered, Outcome outcome) {
        ROWS.add(new String[] {step, fault, received ? "yes" : "no", outcome.describe()});
        assertThat(outcome.took())
                .as("returned within the read timeout and a margin")
                .isLessThan(BOUND);
        if (!received) {
            assertThat(outcome.failure())
                    .as("the peer did not receive the whole request: nothing can have been accepted")
                    .isNotNull();
            assertThat(outcome.failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
            return;
        }
        if (outcome.receipt() != null) {
            return;
        }
        FailureKind kind = outcome.failure().kind();
        if (answered != MailException.NO_STATUS && outcome.failure().status() == answered) {
            // The peer's own reply: classified by its code, which the status table covers (502/504 are uncertain).
            assertThat(kind).isIn(FailureKind.UNCERTAIN, FailureKind.UNAVAILABLE);
            if (answered == 502 || answered == 504) {
                assertThat(kind)
                        .as("a gateway's answer does not say the API refused")
                        .isEqualTo(FailureKind.UNCERTAIN);
            }
            return;
        }
        assertThat(kind)
                .as("the peer received the whole request and sent no definitive reply: %s", outcome.failure())
                .isEqualTo(FailureKind.UNCERTAIN);
    }

    /**
     * Whether WireMock read the whole request. It journals a request once it has finished with the connection, which
     * can be just after the client saw the connection end: waits for the entry (generously, for a busy machine)
     * rather than read the journal too early.
     */
    private static boolean wireMockReceivedIt() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (api.server().getAllServeEvents().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void stubWith(ResponseDefinitionBuilder response) {
        api.server().stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    @Test
    void control_anAnswerIsAReceipt() {
        stubWith(okJson("{\"transmissionId\":\"tx-ok\"}"));

        Outcome o = send(patient(api.stub().url()), simple().build());

        check("reply", "none (HTTP 200)", wireMockReceivedIt(), 200, o);
        assertThat(o.receipt()).isNotNull();
    }

    @Test
    void connect_refused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        Outcome o = send(config("http://127.0.0.1:" + port), simple().build());

        check("connect", "refused (closed port)", false, MailException.NO_STATUS, o);
    }

    /**
     * A message larger than what the sockets' buffers take in, so that the client is still writing when the peer
     * stops reading; a small body is all in the kernel's buffers before that, and then no client can tell the cell
     * from a fault after the request.
     */
    private static Mail largerThanTheSocketBuffers() {
        byte[] big = new byte[6 * 1024 * 1024];
        new Random(7).nextBytes(big);
        return simple().attach(Attachment.named("big.bin")
                        .type("application/octet-stream")
                        .bytes(big))
                .build();
    }

    @Test
    void midRequest_peerReadsPartOfTheBodyThenResets() throws Exception {
        Mail mail = largerThanTheSocketBuffers();
        try (PartialReader peer = new PartialReader(16 * 1024, false)) {
            Outcome o = send(config("http://127.0.0.1:" + peer.port()), mail);

            check(
                    "request body",
                    "peer reads " + peer.limit / 1024 + " KB of the body, then resets (" + peer.connections.get()
                            + " connection(s))",
                    peer.sawWholeBody(),
                    MailException.NO_STATUS,
                    o);
            assertThat(peer.sawWholeBody()).isFalse();
        }
    }

    /**
     * A peer that stops reading the body and keeps the connection open: the write would block for as long as it does.
     * The write timeout ends the exchange, unavailable since the request was never complete; the outer bound is the
     * connect, write and read timeouts (6 s here) with a wide margin.
     */
    @Test
    void midRequest_peerStopsReadingTheBodyAndKeepsTheConnectionOpen() throws Exception {
        Mail mail = largerThanTheSocketBuffers();
        try (PartialReader peer = new PartialReader(16 * 1024, true)) {
            Map<String, String> c = config("http://127.0.0.1:" + peer.port());
            c.put("mailpath.api.write-timeout-ms", "2000");

            Outcome o = send(c, mail);

            check(
                    "request body",
                    "peer reads " + peer.limit / 1024 + " KB of the body, then stops reading, connection kept open",
                    peer.sawWholeBody(),
                    MailException.NO_STATUS,
                    o);
            assertThat(peer.sawWholeBody()).isFalse();
            assertThat(o.failure().getMessage()).contains("mailpath.api.write-timeout-ms");
        }
    }

    @Test
    void afterRequest_connectionReset() {
        stubWith(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Outcome o = send(config(api.stub().url()), simple().build());

        check("after request", "connection reset", wireMockReceivedIt(), MailException.NO_STATUS, o);
    }

    @Test
    void afterRequest_emptyResponse() {
        stubWith(aResponse().withFault(Fault.EMPTY_RESPONSE));

        Outcome o = send(config(api.stub().url()), simple().build());

        check("after request", "empty response, closed", wireMockReceivedIt(), MailException.NO_STATUS, o);
    }

    @Test
    void afterRequest_stallBeyondTheReadTimeout() {
        stubWith(okJson("{\"transmissionId\":\"tx-late\"}").withFixedDelay(6_000));

        Outcome o = send(config(api.stub().url()), simple().build());

        check("after request", "stall 6 s (read timeout 2 s)", wireMockReceivedIt(), MailException.NO_STATUS, o);
    }

    @Test
    void midHeaders_randomDataThenClose() {
        stubWith(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));

        Outcome o = send(config(api.stub().url()), simple().build());

        check("reply headers", "random data, closed", wireMockReceivedIt(), MailException.NO_STATUS, o);
    }

    /**
     * A 200 whose body breaks off: the status line said the API accepted the transmission, so the send succeeded;
     * only its transmissionId is unknown. Reporting it uncertain would send a certain duplicate through SMTP.
     */
    @Test
    void midBody_malformedChunk() {
        stubWith(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        Outcome o = send(patient(api.stub().url()), simple().build());

        check("reply body", "200, malformed chunk", wireMockReceivedIt(), 200, o);
        assertThat(o.receipt()).as("the status was read: %s", o.failure()).isNotNull();
        assertThat(o.receipt().transmissionId()).isNull();
    }

    @Test
    void midBody_200CutMidJsonThenClosed() throws IOException {
        cutTheBodyOfA200(FaultyProxy.Action.CLOSE, "closed");
    }

    @Test
    void midBody_200CutMidJsonThenReset() throws IOException {
        cutTheBodyOfA200(FaultyProxy.Action.RESET, "reset");
    }

    private static void cutTheBodyOfA200(FaultyProxy.Action action, String how) throws IOException {
        stubWith(okJson("{\"transmissionId\":\"tx-cut\"}"));
        try (FaultyProxy proxy = FaultyProxy.to(api.server().port())) {
            proxy.after(FaultyProxy.Direction.SERVER_TO_CLIENT, "{\"transmissionId\"", action);

            Outcome o = send(patient("http://127.0.0.1:" + proxy.port()), simple().build());

            check("reply body", "200, body cut mid-JSON, " + how, wireMockReceivedIt(), 200, o);
            assertThat(proxy.fired()).isTrue();
            assertThat(o.receipt()).as("the status was read: %s", o.failure()).isNotNull();
            assertThat(o.receipt().transmissionId()).isNull();
            assertThat(o.receipt().transport()).isEqualTo("api");
        }
    }

    @Test
    void reply_307Redirect() {
        stubWith(aResponse()
                .withStatus(307)
                .withHeader("Location", "https://elsewhere.example/v1/layang/transmissions"));

        Outcome o = send(patient(api.stub().url()), simple().build());

        check("reply", "HTTP 307 (redirect, not followed)", wireMockReceivedIt(), 307, o);
        assertThat(o.failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(o.failure().status()).isEqualTo(307);
    }

    @Test
    void reply_502FromAGateway() {
        stubWith(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"));

        Outcome o = send(config(api.stub().url()), simple().build());

        check("reply", "HTTP 502 (gateway)", wireMockReceivedIt(), 502, o);
    }

    @Test
    void reply_504FromAGateway() {
        stubWith(aResponse().withStatus(504).withBody("<html>Gateway Timeout</html>"));

        Outcome o = send(config(api.stub().url()), simple().build());

        check("reply", "HTTP 504 (gateway)", wireMockReceivedIt(), 504, o);
    }

    @Test
    void reply_503() {
        stubWith(aResponse()
                .withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"unavailable\",\"message\":\"try later\"}"));

        Outcome o = send(patient(api.stub().url()), simple().build());

        check("reply", "HTTP 503", wireMockReceivedIt(), 503, o);
        assertThat(o.failure().kind()).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @AfterAll
    static void printTheMatrix() {
        String[] head = {"step", "fault", "peer got whole request", "outcome"};
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
            for (String[] row : ROWS) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder("\nAPI transport fault matrix\n");
        appendRow(out, head, width);
        appendRow(out, new String[] {"-", "-", "-", "-"}, width);
        ROWS.stream()
                .sorted(java.util.Comparator.comparingInt(row -> STEPS.indexOf(row[0])))
                .forEach(row -> appendRow(out, row, width));
        System.out.println(out);
    }

    private static void appendRow(StringBuilder out, String[] row, int[] width) {
        for (int i = 0; i < row.length; i++) {
            String cell = row[i].equals("-") ? "-".repeat(width[i]) : row[i];
            out.append("| ")
                    .append(String.format(Locale.ROOT, "%-" + width[i] + "s", cell))
                    .append(' ');
        }
        out.append("|\n");
    }

    /**
     * A tiny HTTP peer that reads a request's head and the first {@code limit} bytes of its body, then resets the
     * connection (linger 0), or stalls: reads no more and keeps it open until the peer is closed. It does this on every
     * connection it accepts, and answers nothing.
     */
    private static final class PartialReader implements AutoCloseable {
        final int limit;
        private final boolean stall;
        private final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger connections = new AtomicInteger();
        private final AtomicLong bodyBytes = new AtomicLong();
        private final AtomicLong contentLength = new AtomicLong(-1);
        private final ServerSocket server;
        private final Thread thread;

        PartialReader(int limit, boolean stall) throws IOException {
            this.limit = limit;
            this.stall = stall;
            server = new ServerSocket();
            server.setReceiveBufferSize(8 * 1024);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::serve, "partial-reader");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        boolean sawWholeBody() {
            return contentLength.get() >= 0 && bodyBytes.get() >= contentLength.get();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    InputStream in = s.getInputStream();
                    String head = readHead(in);
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            contentLength.set(Long.parseLong(line.substring(15).trim()));
                        }
                    }
                    byte[] buffer = new byte[4096];
                    long read = 0;
                    while (read < limit) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - read));
                        if (n < 0) {
                            break;
                        }
                        read += n;
                    }
                    bodyBytes.set(Math.max(bodyBytes.get(), read));
                    if (stall) {
                        // Not a byte more, and the connection open until the peer is closed: the client's write is
                        // held until it gives up.
                        released.await();
                    } else {
                        s.setSoLinger(true, 0);
                    }
                } catch (IOException e) {
                    // closed by the test, or the client went away
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws Exception {
            server.close();
            released.countDown();
            thread.join(5_000);
        }
    }
}
