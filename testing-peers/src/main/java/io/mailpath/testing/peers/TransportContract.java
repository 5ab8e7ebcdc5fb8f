package io.mailpath.testing.peers;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import io.mailpath.spi.DirectTransport;
import io.mailpath.testing.peers.FaultyProxy.Action;
import io.mailpath.testing.peers.FaultyProxy.Direction;
import io.mailpath.testing.peers.FaultyProxy.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The fault matrix of RELIABILITY.md's phase rule, for any transport: extend it in the transport's tests, give it the
 * transport pointed at an address and a real peer of the protocol, and it checks the transport at every step of the
 * conversation under every connection fault.
 *
 * <pre>
 * class MyTransportContractTest extends TransportContract {
 *     &#64;Override
 *     protected DirectTransport transportTo(String host, int port) {
 *         return Transports.create("mine", Map.of(
 *                 "mailpath.mine.url", "http://" + host + ":" + port,
 *                 "mailpath.mine.read-timeout-ms", "2000"));
 *     }
 *
 *     &#64;Override
 *     protected Peer startPeer() throws Exception {
 *         return MyFakeServer.start(); // a real server of the protocol that counts what it accepted
 *     }
 * }
 * </pre>
 *
 * <p>How it works: it first sends one message through a {@link FaultyProxy} that only records, and learns the
 * conversation's turns (each command, reply or request: bytes that went one way before anything came back). The turn
 * that carries the message (the client's largest) ends the request; the peer's next turn is the definitive reply.
 * Then, for each cell, a new transport sends a new message through a new proxy armed to close, reset or stall the
 * connection at one point: on connect, or when the peer refuses connections; half-way through each of the client's
 * turns (64 KiB into the message), and just after each is written (the peer has it, no reply comes); after the first
 * byte of each of the peer's turns (a reply cut short). In every cell:
 *
 * <ul>
 *   <li>the fault fired (else the conversation differs from the recorded one) and the send returned within
 *       {@link #sendBound()};
 *   <li>if the peer accepted the message, the caller got a receipt or {@link FailureKind#UNCERTAIN}, and the peer
 *       accepted it once;
 *   <li>if it did not, the caller got no receipt: {@link FailureKind#UNAVAILABLE} while the request was not complete,
 *       {@link FailureKind#UNCERTAIN} allowed only where the client may have written all of it (on or after the
 *       message's turn, unless more than {@value #UNWRITTEN_SLACK} bytes of it were still to go, more than a
 *       loopback socket's buffers hold);
 *   <li>the failure carries no reply code ({@link MailException#status()} is {@link MailException#NO_STATUS}): in no
 *       cell did a whole reply reach the client;
 *   <li>neither the failure (nor its causes) nor the transport's {@code toString()} contains {@link #secret()};
 *   <li>once the transport is closed, no connection is left open.
 * </ul>
 *
 * <p>A transport may retry on a new connection where nothing can have been accepted (the proxy breaks only the first
 * connection that reaches the fault point): a message the peer then accepts once is a receipt, as it should be. Where
 * the client speaks first and its first turn is the whole request (HTTP), a connection accepted and then broken may
 * already hold all of a small request, so {@link FailureKind#UNCERTAIN} is allowed there too.
 *
 * <p>What it needs from the subclass: the transport talks plaintext to the address it is given (the proxy finds turns
 * by the direction bytes flow, which TLS records blur), sends one message over one connection, and has connect, read
 * and write timeouts of a few seconds (a stalled cell lasts until one of them fires). The peer is started once for the
 * class; the contract counts what it accepted before and after each cell. Each cell's outcome is printed as a table
 * after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TransportContract {
    /**
     * The bytes of the request that may still be unwritten when the client has nonetheless handed all of it to its
     * socket: Linux's largest send buffer by default (4 MiB), the proxy's receive buffer and a margin. A fault with
     * more than this left to write comes while the client is still writing.
     */
    public static final long UNWRITTEN_SLACK = 5L * 1024 * 1024;

    /** How far into the message's turn the mid-request cells cut it. */
    private static final long MID_REQUEST = 64 * 1024;

    /**
     * A real server of the transport's protocol on loopback, which counts the messages it accepted: those it took
     * responsibility for (stored, queued), counted before it sends its reply.
     */
    public interface Peer extends AutoCloseable {
        /**
         * The port the peer listens on, on 127.0.0.1.
         *
         * @return its port
         */
        int port();

        /**
         * How many messages the peer accepted since it started. Asked once the peer closed every connection of a cell.
         *
         * @return the count so far
         */
        int accepted();

        /** Stops the peer; by default nothing. */
        @Override
        default void close() throws Exception {}
    }

    /**
     * Starts the peer, once for the class.
     *
     * @return the running peer
     * @throws Exception when it cannot start
     */
    protected abstract Peer startPeer() throws Exception;

    /**
     * A new transport that sends to {@code host:port}, in plaintext, with short timeouts. It is closed after its one
     * send.
     *
     * @param host where to connect (127.0.0.1)
     * @param port the port to connect to (the proxy's)
     * @return the transport
     */
    protected abstract DirectTransport transportTo(String host, int port);

    /**
     * The credential the transport is configured with (an API key, a password), which no failure, cause or
     * {@code toString()} may contain.
     *
     * @return the secret, or empty when the transport has none
     */
    protected Optional<String> secret() {
        return Optional.empty();
    }

    /**
     * The message each cell sends, a new one each time. The default has a 6.5 MB text body (within the API's
     * limit, as JSON), so that a fault early in
     * it comes while the client is still writing; an override should keep the message's turn above
     * {@value #UNWRITTEN_SLACK} bytes, or the mid-request cells accept {@link FailureKind#UNCERTAIN} too.
     *
     * @return the message
     */
    protected Mail message() {
        return Mail.builder()
                .from("sender@example.com")
                .to("rcpt@example.org")
                .subject("Transport contract")
                .text(BODY)
                .build();
    }

    /**
     * How long one send may take in any cell: the transport's own timeouts, several times over, and a margin for a
     * loaded machine. A send that takes longer fails its cell (its connections are then closed, so that it ends).
     *
     * @return 60 s unless overridden
     */
    protected Duration sendBound() {
        return Duration.ofSeconds(60);
    }

    private static final String BODY = body();

    private static String body() {
        String line = "The quick brown fox jumps over the lazy dog, then over the phase rule. 0123456789\r\n";
        StringBuilder b = new StringBuilder(6_500_000 + line.length());
        while (b.length() < 6_500_000) {
            b.append(line);
        }
        return b.toString();
    }

    private Peer peer;
    private List<Turn> conversation;
    private int messageTurn;
    private final List<String[]> rows = new CopyOnWriteArrayList<>();

    @BeforeAll
    final void learnTheConversation() throws Exception {
        peer = startPeer();
        try (FaultyProxy proxy = FaultyProxy.to(peer.port()).recordTurns()) {
            int before = peer.accepted();
            SendReceipt receipt;
            try (DirectTransport transport = transportTo("127.0.0.1", proxy.port())) {
                receipt = transport.send(message());
                conversation = proxy.turns();
            }
            Assertions.assertTrue(proxy.awaitClosed(Duration.ofSeconds(30)), "the transport left a connection open");
            Assertions.assertNotNull(receipt, "a send without fault gives a receipt");
            Assertions.assertEquals(1, peer.accepted() - before, "the peer accepted a send without fault once");
        }
        Assertions.assertFalse(conversation.isEmpty(), "nothing went through the proxy");
        long connections =
                conversation.stream().mapToInt(Turn::connection).distinct().count();
        Assertions.assertEquals(
                1, connections, "the contract needs one send to use one connection; it used " + connections);
        messageTurn = 0;
        for (int i = 0; i < conversation.size(); i++) {
            Turn t = conversation.get(i);
            if (t.direction() == Direction.CLIENT_TO_SERVER
                    && t.bytes() > conversation.get(messageTurn).bytes()) {
                messageTurn = i;
            }
        }
        Assertions.assertEquals(
                Direction.CLIENT_TO_SERVER,
                conversation.get(messageTurn).direction(),
                "the client sent nothing: " + conversation);
        Assertions.assertTrue(
                messageTurn + 1 < conversation.size(), "the peer sent no reply after the message: " + conversation);
    }

    @AfterAll
    final void stopThePeerAndPrintTheMatrix() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (rows.isEmpty()) {
            return;
        }
        String format = "| %-48s | %-7s | %-8s | %-16s | %6s | %s |%n";
        StringBuilder table =
                new StringBuilder("\nTransport contract: " + getClass().getSimpleName() + "\n");
        table.append(String.format(Locale.ROOT, format, "step", "fault", "accepted", "outcome", "ms", "check"));
        for (String[] r : rows) {
            table.append(String.format(Locale.ROOT, format, (Object[]) r));
        }
        System.out.print(table);
    }

    /** A send without fault: a receipt, the message accepted once, no connection left open. */
    @Test
    final void aSendWithoutFaultIsAcceptedOnce() throws Exception {
        Outcome o = run(new Cell("no fault", "none", p -> {}, false, false));
        Assertions.assertNull(o.failure, () -> "the send failed: " + o.failure);
        Assertions.assertEquals(1, o.accepted, "accepted");
        Assertions.assertFalse(o.leaked, "a connection was left open");
    }

    /**
     * Every step of the recorded conversation under every fault, each a dynamic test.
     *
     * @return one test a cell
     */
    @TestFactory
    final Stream<DynamicTest> everyStepUnderEveryFault() {
        return cells().stream().map(c -> DynamicTest.dynamicTest(c.step + " / " + c.fault, () -> check(c, run(c))));
    }

    /**
     * Where a fault fires and what the client may have done by then.
     *
     * @param step the step, for the report
     * @param fault the fault, for the report
     * @param arm arms the proxy (or refuses connections)
     * @param requestMayBeWritten whether the client may have written the whole request when the fault fires
     * @param faulty whether a fault is armed, which must then fire (not for the send without fault, nor for a
     *     refused connection, which involves no connection)
     */
    private record Cell(
            String step, String fault, Consumer<FaultyProxy> arm, boolean requestMayBeWritten, boolean faulty) {
        Cell(String step, Action action, Consumer<FaultyProxy> arm, boolean requestMayBeWritten) {
            this(step, action.name().toLowerCase(Locale.ROOT), arm, requestMayBeWritten, true);
        }
    }

    /** What a cell gave. */
    private record Outcome(
            SendReceipt receipt,
            MailException failure,
            Throwable unexpected,
            long ms,
            boolean timedOut,
            int accepted,
            boolean fired,
            boolean leaked,
            List<String> texts) {
        String describe() {
            if (timedOut) {
                return "no return";
            }
            if (unexpected != null) {
                return unexpected.getClass().getSimpleName();
            }
            if (receipt != null) {
                return "receipt";
            }
            return failure.kind() + (failure.status() == MailException.NO_STATUS ? "" : " " + failure.status());
        }
    }

    private List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        Action[] actions = Action.values();
        cells.add(new Cell("connect: refused", "refused", FaultyProxy::refuse, false, false));
        // Where the client speaks first and its first turn is the whole request (HTTP), a connection that is accepted
        // and then fails may have had all of a small request written into it.
        boolean wholeRequestFirst = messageTurn == 0 && conversation.get(0).bytes() <= UNWRITTEN_SLACK;
        for (Action a : actions) {
            cells.add(new Cell("connect", a, p -> p.onConnect(a), wholeRequestFirst));
        }
        long sent = 0;
        long received = 0;
        for (int i = 0; i < conversation.size(); i++) {
            Turn t = conversation.get(i);
            String name = "#" + (i + 1) + " " + (t.direction() == Direction.CLIENT_TO_SERVER ? "client " : "peer ")
                    + quote(t.start()) + " (" + t.bytes() + " B)";
            if (t.direction() == Direction.CLIENT_TO_SERVER) {
                long start = sent;
                long end = sent + t.bytes();
                long cut = i == messageTurn ? start + Math.min(MID_REQUEST, t.bytes() / 2) : start + t.bytes() / 2;
                boolean writtenByCut = i > messageTurn || (i == messageTurn && end - cut <= UNWRITTEN_SLACK);
                if (cut > start) {
                    for (Action a : actions) {
                        cells.add(new Cell(
                                name + ": cut after " + (cut - start) + " B",
                                a,
                                p -> p.afterBytes(Direction.CLIENT_TO_SERVER, cut, a),
                                writtenByCut));
                    }
                }
                for (Action a : actions) {
                    cells.add(new Cell(
                            name + ": written, no reply",
                            a,
                            p -> p.afterBytes(Direction.CLIENT_TO_SERVER, end, a),
                            i >= messageTurn));
                }
                sent = end;
            } else {
                long start = received;
                if (i == 0) {
                    for (Action a : actions) {
                        cells.add(new Cell(
                                name + ": withheld", a, p -> p.afterBytes(Direction.SERVER_TO_CLIENT, 0, a), false));
                    }
                }
                if (t.bytes() > 1) {
                    for (Action a : actions) {
                        cells.add(new Cell(
                                name + ": cut after 1 B",
                                a,
                                p -> p.afterBytes(Direction.SERVER_TO_CLIENT, start + 1, a),
                                i > messageTurn));
                    }
                }
                received += t.bytes();
            }
        }
        return cells;
    }

    private Outcome run(Cell cell) throws Exception {
        List<String> texts = new ArrayList<>();
        try (FaultyProxy proxy = FaultyProxy.to(peer.port())) {
            int before = peer.accepted();
            SendReceipt receipt = null;
            MailException failure = null;
            Throwable unexpected = null;
            boolean timedOut = false;
            long start;
            long ms;
            DirectTransport transport = transportTo("127.0.0.1", proxy.port());
            ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "transport-contract-send");
                t.setDaemon(true);
                return t;
            });
            try {
                texts.add(transport.toString());
                Mail mail = message();
                cell.arm.accept(proxy);
                start = System.nanoTime();
                Future<SendReceipt> send = sender.submit(() -> transport.send(mail));
                try {
                    receipt = send.get(sendBound().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof MailException m) {
                        failure = m;
                    } else {
                        unexpected = e.getCause();
                    }
                } catch (TimeoutException e) {
                    timedOut = true;
                    // Ends the send: its connection is closed under it.
                    proxy.close();
                }
                ms = (System.nanoTime() - start) / 1_000_000;
                texts.add(transport.toString());
            } finally {
                transport.close();
                sender.shutdownNow();
            }
            // Once every connection is closed on both sides, the peer has read all that was forwarded to it.
            boolean leaked = !proxy.awaitClosed(Duration.ofSeconds(30));
            for (Throwable t = failure != null ? failure : unexpected; t != null; t = t.getCause()) {
                texts.add(t.toString());
            }
            return new Outcome(
                    receipt,
                    failure,
                    unexpected,
                    ms,
                    timedOut,
                    peer.accepted() - before,
                    !cell.faulty || proxy.fired(),
                    leaked,
                    texts);
        }
    }

    private void check(Cell cell, Outcome o) {
        String violation = violation(cell, o);
        rows.add(new String[] {
            cell.step,
            cell.fault,
            String.valueOf(o.accepted),
            o.describe(),
            String.valueOf(o.ms),
            violation == null ? "ok" : "FAILED: " + violation
        });
        if (violation != null) {
            Assertions.fail(cell.step + " / " + cell.fault + ": " + violation
                    + (o.failure != null ? " (" + o.failure + ")" : ""));
        }
    }

    private String violation(Cell cell, Outcome o) {
        if (o.timedOut) {
            return "the send did not return within " + sendBound().toMillis() + " ms";
        }
        if (o.unexpected != null) {
            return "the send threw " + o.unexpected + ", not a MailException";
        }
        if (!o.fired) {
            return "the fault never fired: the conversation differs from the recorded one";
        }
        if (o.leaked) {
            return "a connection was left open after the transport was closed";
        }
        Optional<String> secret = secret().filter(s -> !s.isEmpty());
        if (secret.isPresent()) {
            for (String text : o.texts) {
                if (text != null && text.contains(secret.get())) {
                    return "the secret appears in " + text.substring(0, Math.min(40, text.length())) + "...";
                }
            }
        }
        if (o.accepted > 1) {
            return "the peer accepted the message " + o.accepted + " times";
        }
        if (o.failure != null && o.failure.status() != MailException.NO_STATUS) {
            return "the failure carries the code " + o.failure.status() + ", which the peer never sent";
        }
        FailureKind kind = o.failure == null ? null : o.failure.kind();
        if (o.accepted == 1) {
            return o.receipt != null || kind == FailureKind.UNCERTAIN
                    ? null
                    : "the peer accepted the message, yet the caller got " + kind + " (a receipt or UNCERTAIN)";
        }
        if (o.receipt != null) {
            return "a receipt for a message the peer did not accept";
        }
        if (kind == FailureKind.UNAVAILABLE) {
            return null;
        }
        if (kind == FailureKind.UNCERTAIN) {
            return cell.requestMayBeWritten ? null : "UNCERTAIN before the client could have written the request";
        }
        return "no reply reached the client, yet it got " + kind + " (UNAVAILABLE"
                + (cell.requestMayBeWritten ? " or UNCERTAIN)" : ")");
    }

    /**
     * The first word of a turn (a command's verb, a reply's code), to name it: never more, since what follows may be a
     * credential.
     */
    private String quote(String start) {
        StringBuilder b = new StringBuilder();
        for (char c : start.toCharArray()) {
            if (c == ' ' || c == '\r' || c == '\n' || b.length() == 16) {
                break;
            }
            b.append(c >= 0x21 && c < 0x7f ? c : '?');
        }
        String word = b.toString();
        Optional<String> secret = secret().filter(s -> !s.isEmpty());
        if (secret.isPresent()
                && ((word.length() >= 4 && secret.get().contains(word)) || word.contains(secret.get()))) {
            word = "***";
        }
        return "'" + word + "'";
    }
}
