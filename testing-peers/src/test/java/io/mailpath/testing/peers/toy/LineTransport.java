package io.mailpath.testing.peers.toy;

import io.mailpath.Delivery;
import io.mailpath.Mail;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.spi.AbstractTransport;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.PartReceipt;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A transport of {@link LineServer}'s toy protocol, written as a third party would write one on Mailpath's SPI: one
 * connection a message, and failures classified by the phase rule. Until the last byte of the message is written, a
 * lost connection is {@code UNAVAILABLE}; from then until the reply, {@code UNCERTAIN}; a reply is classified by its
 * code. Every read and every write has a timeout.
 *
 * <p>{@link #phaseBlind} makes the classic mistake instead: every lost connection is {@code UNAVAILABLE}, so a message
 * the server accepted is reported as not sent, and failover sends it again without a flag.
 */
public final class LineTransport extends AbstractTransport<Mail> {
    /** The transport's name. */
    public static final String NAME = "line";

    private static final TransportProvider PROVIDER = new TransportProvider() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int priority() {
            return -100;
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public DirectTransport create(TransportConfig config) {
            throw new UnsupportedOperationException("built directly by the tests");
        }
    };

    private final InetSocketAddress address;
    private final String secret;
    private final int timeoutMs;
    private final boolean phaseBlind;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "line-transport-write-timeout");
        t.setDaemon(true);
        return t;
    });

    private LineTransport(InetSocketAddress address, String secret, int timeoutMs, boolean phaseBlind) {
        super(PROVIDER);
        this.address = address;
        this.secret = secret;
        this.timeoutMs = timeoutMs;
        this.phaseBlind = phaseBlind;
    }

    /**
     * A transport that follows the phase rule.
     *
     * @param host the server's host
     * @param port its port
     * @param secret what AUTH sends
     * @param timeoutMs the connect, read and write timeout
     * @return the transport
     */
    public static LineTransport to(String host, int port, String secret, int timeoutMs) {
        return new LineTransport(new InetSocketAddress(host, port), secret, timeoutMs, false);
    }

    /**
     * A transport that reports every lost connection as unavailable, whatever was written.
     *
     * @param host the server's host
     * @param port its port
     * @param secret what AUTH sends
     * @param timeoutMs the connect, read and write timeout
     * @return the transport
     */
    public static LineTransport phaseBlind(String host, int port, String secret, int timeoutMs) {
        return new LineTransport(new InetSocketAddress(host, port), secret, timeoutMs, true);
    }

    @Override
    protected List<Mail> compose(Mail mail) {
        return List.of(mail);
    }

    @Override
    protected List<String> recipients(Mail mail) {
        return mail.allRecipients().stream().map(a -> a.email()).toList();
    }

    @Override
    protected PartReceipt deliver(Mail mail) {
        byte[] message = (mail.subject() + "\n" + mail.text()).getBytes(StandardCharsets.UTF_8);
        boolean written = false;
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            expectOk(LineServer.readLine(in), "greeting");
            write(socket, out, ("AUTH " + secret + "\n").getBytes(StandardCharsets.UTF_8));
            expectOk(LineServer.readLine(in), "AUTH");
            write(socket, out, ("SEND " + message.length + "\n").getBytes(StandardCharsets.US_ASCII));
            write(socket, out, message);
            written = true;
            String reply = LineServer.readLine(in);
            if (reply == null || !reply.startsWith("OK ")) {
                throw failure(reply, true);
            }
            String id = reply.substring(3);
            return PartReceipt.accepted(new Delivery(recipients(mail), null, id), 250);
        } catch (IOException e) {
            if (written && !phaseBlind) {
                throw new MailUncertainException(
                        "The connection to the line server failed after the message was written; it may have been"
                                + " accepted",
                        NAME,
                        MailException.NO_STATUS,
                        null,
                        e);
            }
            throw new MailUnavailableException(
                    "The connection to the line server failed before the message was written",
                    NAME,
                    MailException.NO_STATUS,
                    null,
                    e);
        }
    }

    /** Writes with a timeout: a write still blocked when it runs out closes the socket under it. */
    private void write(Socket socket, OutputStream out, byte[] bytes) throws IOException {
        for (int off = 0; off < bytes.length; off += 64 * 1024) {
            ScheduledFuture<?> timeout = watchdog.schedule(
                    () -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    },
                    timeoutMs,
                    TimeUnit.MILLISECONDS);
            try {
                out.write(bytes, off, Math.min(64 * 1024, bytes.length - off));
            } finally {
                timeout.cancel(false);
            }
        }
        out.flush();
    }

    private static void expectOk(String reply, String step) throws IOException {
        if (reply == null) {
            throw new IOException("end of stream before the reply to " + step);
        }
        if (!reply.startsWith("OK") && !reply.startsWith("HELLO")) {
            throw failure(reply, false);
        }
    }

    /** A reply that is not OK: by its code when it has one; without one, the phase decides. */
    private static RuntimeException failure(String reply, boolean written) throws IOException {
        int code = codeOf(reply);
        if (code < 0) {
            if (written) {
                throw new IOException("no reply code in '" + reply + "'");
            }
            throw new IOException("unexpected reply");
        }
        String text = "The line server answered " + code;
        if (code == 535) {
            return new MailAuthenticationException(text, NAME, code, null, null);
        }
        if (code >= 500) {
            return new MailRejectedException(text, NAME, code, null, null);
        }
        return new MailUnavailableException(text, NAME, code, null, null);
    }

    private static int codeOf(String reply) {
        if (reply == null || !reply.startsWith("ERR ") || reply.length() < 7) {
            return -1;
        }
        try {
            return Integer.parseInt(reply.substring(4, 7));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    protected void release() {
        watchdog.shutdownNow();
    }

    @Override
    public String toString() {
        return "LineTransport[" + address.getHostString() + ":" + address.getPort()
                + (phaseBlind ? ", phase-blind" : "") + "]";
    }
}
