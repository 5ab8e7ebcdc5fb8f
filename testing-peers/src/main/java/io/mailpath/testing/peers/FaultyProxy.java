package io.mailpath.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of a real peer (an SMTP or HTTP server) that breaks the connection at a chosen point,
 * so that a test sees what a client does when the network fails rather than when the server answers.
 *
 * <p>It forwards bytes both ways until the armed fault fires, once: when a connection is accepted
 * ({@link #onConnect}), when a marker appears in one direction ({@link #at}, {@link #after}) or once a number of
 * bytes went one way ({@link #afterBytes}). The bytes before that point reach the other side; then the client's side
 * of the connection is {@linkplain Action#CLOSE closed}, {@linkplain Action#RESET reset} or
 * {@linkplain Action#STALL stalled}. The server's side is always closed gracefully, so that the server still reads
 * everything that was forwarded to it: whether a complete request arrived is for the server to tell (for SMTP,
 * {@link TestSmtpServer#received}). {@link #refuse()} makes new connections fail as on a closed port.
 *
 * <p>Markers (up to 64 bytes) are matched byte for byte (ISO-8859-1, case-sensitive) in the bytes that flow after the
 * fault was armed, also on connections already open, so they only work on plaintext; once a client
 * switched to TLS, only byte counts and markers seen before the switch apply. The proxy listens on 127.0.0.1 only,
 * its threads are daemons and {@link #close()} stops everything.
 *
 * <p>Asked to ({@link #recordTurns()}), it also records the shape of each conversation ({@link #turns()}): the
 * stretches of bytes that went one way
 * before anything came back, which is how {@link TransportContract} finds a protocol's steps without knowing it.
 *
 * <pre>
 * try (FaultyProxy proxy = FaultyProxy.to(server.port())) {
 *     proxy.at(FaultyProxy.Direction.CLIENT_TO_SERVER, "RCPT TO", FaultyProxy.Action.RESET);
 *     // point the client at proxy.port(), send, check the outcome and proxy.fired()
 * }
 * </pre>
 */
public final class FaultyProxy implements AutoCloseable {
    /** Which way the bytes a trigger watches flow. */
    public enum Direction {
        /** From the client to the server (requests, commands). */
        CLIENT_TO_SERVER,
        /** From the server to the client (replies). */
        SERVER_TO_CLIENT
    }

    /** What the client sees when the fault fires. */
    public enum Action {
        /** Its connection is closed (FIN): it reads end of stream, a later write fails. */
        CLOSE,
        /** Its connection is reset (RST, a close with SO_LINGER 0): reads and writes fail at once. */
        RESET,
        /**
         * Nothing more is forwarded either way, nor read from the client, while its socket stays open: it runs into
         * its own timeouts. {@link #awaitClosed} and {@link #close()} end the stall.
         */
        STALL
    }

    /**
     * One turn of a conversation: bytes that went one way, on one connection, with nothing going the other way
     * between them (a command, a reply, a request).
     *
     * @param connection which connection, counted from 1 in the order they were accepted
     * @param direction which way the bytes went
     * @param bytes how many bytes the turn holds
     * @param start its first bytes (up to 40) as ISO-8859-1 text, for naming the turn
     */
    public record Turn(int connection, Direction direction, long bytes, String start) {}

    /** The turns as they are recorded: the last one grows while bytes keep going its way. */
    private final List<Turn> turns = new ArrayList<>();

    private volatile boolean recording;

    private record Trigger(Direction direction, byte[] marker, boolean inclusive, long bytes, Action action) {
        /**
         * How many bytes of {@code chunk} to forward before the fault, or -1 when it does not fire in this chunk.
         *
         * @param window the bytes before the chunk in the same direction (for markers split across reads)
         * @param before how many bytes went this way before the chunk
         */
        int cut(byte[] window, byte[] chunk, int n, long before) {
            if (marker == null) {
                return before + n >= bytes ? (int) Math.max(0, bytes - before) : -1;
            }
            byte[] all = new byte[window.length + n];
            System.arraycopy(window, 0, all, 0, window.length);
            System.arraycopy(chunk, 0, all, window.length, n);
            int i = indexOf(all, marker);
            if (i < 0) {
                return -1;
            }
            return Math.max(0, Math.min(n, i - window.length + (inclusive ? marker.length : 0)));
        }
    }

    private final int targetPort;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final AtomicReference<Trigger> armed = new AtomicReference<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final CountDownLatch released = new CountDownLatch(1);
    /** Changes whenever a fault is armed, so that a marker seen before is not matched again. */
    private volatile int generation;

    private volatile boolean fired;
    private volatile boolean closed;

    private FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        // A small window (inherited by accepted sockets), so that a stall soon blocks the client's writes, as a
        // stalled server's does, rather than the kernel buffering megabytes for it.
        listener.setReceiveBufferSize(64 * 1024);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        acceptor = daemon("faulty-proxy-accept-" + listener.getLocalPort(), this::acceptLoop);
        acceptor.start();
    }

    /**
     * Starts a proxy that forwards every connection to {@code 127.0.0.1:targetPort}.
     *
     * @param targetPort the real peer's port on loopback
     * @return the running proxy; connect to {@link #port()}
     * @throws IOException when no local port can be opened
     */
    public static FaultyProxy to(int targetPort) throws IOException {
        return new FaultyProxy(targetPort);
    }

    /**
     * The port the proxy listens on.
     *
     * @return the local port on 127.0.0.1
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Arms a fault on the next connection accepted, before anything is forwarded (the client sees no greeting).
     *
     * @param action what the client sees
     * @return this proxy
     */
    public FaultyProxy onConnect(Action action) {
        return arm(new Trigger(null, null, false, 0, action));
    }

    /**
     * Arms a fault when {@code marker} next appears in one direction: the bytes before it are forwarded, the marker
     * and what follows are not.
     *
     * @param direction the stream to watch
     * @param marker the bytes to look for (ISO-8859-1)
     * @param action what the client sees
     * @return this proxy
     */
    public FaultyProxy at(Direction direction, String marker, Action action) {
        return arm(new Trigger(direction, marker.getBytes(StandardCharsets.ISO_8859_1), false, 0, action));
    }

    /**
     * Arms a fault just after {@code marker} next appears in one direction: the marker is forwarded, nothing after it.
     *
     * @param direction the stream to watch
     * @param marker the bytes to look for (ISO-8859-1)
     * @param action what the client sees
     * @return this proxy
     */
    public FaultyProxy after(Direction direction, String marker, Action action) {
        return arm(new Trigger(direction, marker.getBytes(StandardCharsets.ISO_8859_1), true, 0, action));
    }

    /**
     * Arms a fault once a connection carried {@code bytes} bytes in one direction (counted from its start): exactly
     * that many are forwarded.
     *
     * @param direction the stream to count
     * @param bytes how many bytes to let through
     * @param action what the client sees
     * @return this proxy
     */
    public FaultyProxy afterBytes(Direction direction, long bytes, Action action) {
        return arm(new Trigger(direction, null, false, bytes, action));
    }

    private FaultyProxy arm(Trigger t) {
        fired = false;
        generation++;
        armed.set(t);
        return this;
    }

    /**
     * Ends every connection open now, as a server or a middlebox ending idle connections does: the client's side is
     * {@linkplain Action#CLOSE closed} or {@linkplain Action#RESET reset}, the server's side closed gracefully. Counts
     * as a fault that {@linkplain #fired() fired} when a connection was open. New connections are forwarded as before.
     *
     * @param action {@link Action#CLOSE} or {@link Action#RESET}
     * @return this proxy
     */
    public FaultyProxy endOpenConnections(Action action) {
        if (action == Action.STALL) {
            throw new IllegalArgumentException("an open connection is ended by CLOSE or RESET");
        }
        for (Link l : links) {
            fired = true;
            l.closeClient(action == Action.RESET);
        }
        return this;
    }

    /**
     * Stops listening: from now on a connection attempt is refused as on a closed port. Open connections go on.
     */
    public void refuse() {
        closeQuietly(listener);
        try {
            // The socket is only released once the thread blocked in accept() has left it.
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the armed fault fired.
     *
     * @return true once it did
     */
    public boolean fired() {
        return fired;
    }

    /**
     * How many connections the proxy accepted.
     *
     * @return the count since it started
     */
    public int accepted() {
        return accepted.get();
    }

    /**
     * How many proxied connections are still open on either side.
     *
     * @return 0 when every client and the server closed theirs
     */
    public int open() {
        return links.size();
    }

    /**
     * Ends any stall (without forwarding anything more) and waits until every client closed its connection, as a
     * client that leaks no connection does once it is closed.
     *
     * @param timeout how long to wait
     * @return true when no connection is open, false when one still is after the timeout
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        released.countDown();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!links.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        released.countDown();
        closeQuietly(listener);
        for (Link l : links) {
            l.closeBoth();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed or refusing
            }
            Link link = new Link(client, accepted.incrementAndGet());
            links.add(link);
            Trigger t = armed.get();
            if (t != null && t.direction == null && armed.compareAndSet(t, null)) {
                fired = true;
                link.failAtConnect(t.action);
                continue;
            }
            try {
                link.server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            } catch (IOException e) {
                link.closeBoth();
                continue;
            }
            link.start();
        }
    }

    /** Returns the bytes to forward before firing, or -1; fires at most once across all connections. */
    private int check(Direction d, byte[] window, byte[] chunk, int n, long before, Link link) {
        Trigger t = armed.get();
        if (t == null || t.direction != d) {
            return -1;
        }
        int cut = t.cut(window, chunk, n, before);
        if (cut < 0 || !armed.compareAndSet(t, null)) {
            return -1;
        }
        fired = true;
        link.pending = t.action;
        return cut;
    }

    /**
     * The turns of every connection so far, in the order the bytes arrived at the proxy. Bytes are recorded before
     * they are forwarded, so a reply is always recorded after the request it answers.
     *
     * @return a copy of the turns
     */
    public List<Turn> turns() {
        if (!recording) {
            throw new IllegalStateException("turns are recorded only after recordTurns()");
        }
        synchronized (turns) {
            return List.copyOf(turns);
        }
    }

    /**
     * Records the turns of the connections accepted from now on (off by default: a proxy that carries many messages
     * would keep a record of each).
     *
     * @return this proxy
     */
    public FaultyProxy recordTurns() {
        recording = true;
        return this;
    }

    private void record(int connection, Direction d, byte[] chunk, int n) {
        if (!recording) {
            return;
        }
        synchronized (turns) {
            for (int i = turns.size() - 1; i >= 0; i--) {
                Turn t = turns.get(i);
                if (t.connection() != connection) {
                    continue;
                }
                if (t.direction() == d) {
                    turns.set(i, new Turn(connection, d, t.bytes() + n, t.start()));
                    return;
                }
                break;
            }
            turns.add(new Turn(connection, d, n, new String(chunk, 0, Math.min(n, 40), StandardCharsets.ISO_8859_1)));
        }
    }

    /** One proxied connection: a client socket, the server socket, a pump each way. */
    private final class Link {
        final Socket client;
        final int id;
        volatile Socket server;
        /** The fault fired by a pump, applied once the bytes before it were forwarded. */
        volatile Action pending;

        volatile boolean stalled;
        volatile boolean clientGone;
        private final AtomicInteger pumpsLeft = new AtomicInteger(2);

        Link(Socket client, int id) {
            this.client = client;
            this.id = id;
        }

        void start() {
            daemon("faulty-proxy-c2s", () -> pump(Direction.CLIENT_TO_SERVER)).start();
            daemon("faulty-proxy-s2c", () -> pump(Direction.SERVER_TO_CLIENT)).start();
        }

        void failAtConnect(Action action) {
            if (action == Action.STALL) {
                pumpsLeft.set(1);
                stalled = true;
                daemon("faulty-proxy-stall", () -> pump(Direction.CLIENT_TO_SERVER))
                        .start();
            } else {
                closeClient(action == Action.RESET);
                links.remove(this);
            }
        }

        private void pump(Direction d) {
            boolean up = d == Direction.CLIENT_TO_SERVER;
            byte[] buf = new byte[8192];
            byte[] window = new byte[0];
            long total = 0;
            int seen = generation;
            try {
                InputStream in = up ? client.getInputStream() : server.getInputStream();
                OutputStream out = up && server == null ? OutputStream.nullOutputStream() : null;
                while (true) {
                    if (stalled) {
                        released.await();
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (seen != generation) {
                        seen = generation;
                        window = new byte[0];
                    }
                    record(id, d, buf, n);
                    int forward = n;
                    int cut = check(d, window, buf, n, total, this);
                    if (cut >= 0) {
                        forward = cut;
                    }
                    boolean wasStalled = stalled;
                    if (cut >= 0 && up) {
                        // From the moment the last bytes reach the server, nothing it answers may reach the client:
                        // else a fast reply could slip through before the fault is applied below.
                        if (pending == Action.STALL) {
                            stalled = true;
                        } else {
                            clientGone = true;
                        }
                    }
                    if (!wasStalled && !(clientGone && !up)) {
                        if (out == null) {
                            out = up ? server.getOutputStream() : client.getOutputStream();
                        }
                        try {
                            out.write(buf, 0, forward);
                            out.flush();
                        } catch (IOException e) {
                            if (up) {
                                throw e;
                            }
                            clientGone = true; // keep reading what the server says, so that it can finish
                        }
                    }
                    total += n;
                    window = tail(window, buf, n, 64);
                    if (cut >= 0) {
                        Action a = pending;
                        if (a == Action.STALL) {
                            stalled = true;
                        } else {
                            closeClient(a == Action.RESET);
                            if (up) {
                                break;
                            }
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the client or the server went away: end this direction
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (up) {
                    // The server reads everything forwarded, then end of stream.
                    shutdownOutput(server);
                } else {
                    closeClient(false);
                }
                if (pumpsLeft.decrementAndGet() == 0) {
                    closeBoth();
                }
            }
        }

        void closeClient(boolean reset) {
            clientGone = true;
            if (reset) {
                try {
                    client.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // already closed
                }
            }
            closeQuietly(client);
        }

        void closeBoth() {
            closeQuietly(client);
            if (server != null) {
                closeQuietly(server);
            }
            links.remove(this);
        }
    }

    private static byte[] tail(byte[] window, byte[] chunk, int n, int keep) {
        byte[] all = new byte[window.length + n];
        System.arraycopy(window, 0, all, 0, window.length);
        System.arraycopy(chunk, 0, all, window.length, n);
        int from = Math.max(0, all.length - keep);
        byte[] result = new byte[all.length - from];
        System.arraycopy(all, from, result, 0, result.length);
        return result;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void shutdownOutput(Socket s) {
        try {
            if (s != null && !s.isClosed()) {
                s.shutdownOutput();
            }
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
