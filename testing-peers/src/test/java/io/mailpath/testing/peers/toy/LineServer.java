package io.mailpath.testing.peers.toy;

import io.mailpath.testing.peers.TransportContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server of a toy line protocol, for showing that a transport written outside Mailpath can run the
 * {@link TransportContract}. The conversation:
 *
 * <pre>
 * S: HELLO line-protocol
 * C: AUTH &lt;secret&gt;
 * S: OK                         (or ERR 535 bad secret)
 * C: SEND &lt;n&gt;                   followed at once by n bytes of message
 * S: OK &lt;id&gt;                    once all n bytes arrived: the message is accepted (counted) before this reply
 * </pre>
 *
 * A client may send more messages on the same connection; any other line gets {@code ERR 500}.
 */
public final class LineServer implements TransportContract.Peer {
    private final String secret;
    private final ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();

    /**
     * Starts a server on a free port of 127.0.0.1.
     *
     * @param secret the one secret AUTH accepts
     * @throws IOException when no port can be opened
     */
    public LineServer(String secret) throws IOException {
        this.secret = secret;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "line-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> serve(s), "line-server-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            reply(out, "HELLO line-protocol");
            boolean authenticated = false;
            for (String line = readLine(in); line != null; line = readLine(in)) {
                if (line.startsWith("AUTH ")) {
                    authenticated = line.substring(5).equals(secret);
                    reply(out, authenticated ? "OK" : "ERR 535 bad secret");
                } else if (line.startsWith("SEND ") && authenticated) {
                    long n = Long.parseLong(line.substring(5).trim());
                    in.skipNBytes(n); // end of stream before n bytes: an EOFException, nothing accepted
                    reply(out, "OK msg-" + accepted.incrementAndGet());
                } else {
                    reply(out, "ERR 500 what?");
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the connection broke mid-message: nothing accepted.
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A line without its line feed, or null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
