package io.mailpath.testing.peers;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.SessionHandler;
import org.subethamail.smtp.server.SessionHandler.SessionAcceptance;

/**
 * A real SMTP server on loopback (SubEthaSMTP) for tests: STARTTLS or implicit TLS with a test certificate, AUTH,
 * replies a test can script, and a record of what it received and how many connections it saw.
 */
public final class TestSmtpServer implements AutoCloseable {
    /** One message as received: the envelope and the parsed MIME message with its raw bytes. */
    public record Received(String from, List<String> recipients, byte[] raw, MimeMessage message) {}

    /**
     * How the server ends one message's DATA instead of accepting it: refuse it with a reply code (the message is not
     * stored), or store it and then drop the connection without replying, as a server that crashed after queueing
     * the message does.
     *
     * @param replyCode the reply code to refuse with, or 0 to store the message
     * @param dropConnection whether the connection is closed, without a reply, once the message was stored
     */
    public record DataFault(int replyCode, boolean dropConnection) {
        /** Refuses the message with this reply code (451, 554, ...): not stored. */
        public static DataFault refuse(int replyCode) {
            return new DataFault(replyCode, false);
        }

        /** Stores the message, then closes the connection before the reply. */
        public static DataFault dropAfterStoring() {
            return new DataFault(0, true);
        }
    }

    public enum Tls {
        STARTTLS_REQUIRED,
        NONE,
        IMPLICIT
    }

    public static final String USER = "smtp_mt_injection";
    public static final String PASSWORD = "test-api-key-0123456789";

    /** The password AUTH accepts ({@link #PASSWORD} at first); a test changes it to rotate the key, as a relay would. */
    public volatile String password = PASSWORD;

    /** Every message accepted, unless {@link #keepReceived} is false. */
    public final List<Received> received = new CopyOnWriteArrayList<>();
    /** How many messages were accepted, kept in {@link #received} or not. */
    public final AtomicInteger accepted = new AtomicInteger();
    /** Every recipient address of an accepted message, kept in {@link #received} or not. */
    public final Set<String> acceptedRecipients = ConcurrentHashMap.newKeySet();
    /**
     * Whether accepted messages are kept in {@link #received} (the default). False counts them in {@link #accepted}
     * and {@link #acceptedRecipients} and discards their content without holding it, for tests of many or large
     * messages.
     */
    public volatile boolean keepReceived = true;

    public final AtomicInteger connections = new AtomicInteger();
    /** Connections open now: accepted and not yet ended by either side. */
    private final AtomicInteger open = new AtomicInteger();
    /** Reply code for RCPT TO per address; absent means accept. */
    public final Map<String, Integer> rcptReplies = new ConcurrentHashMap<>();
    /**
     * Reply text for RCPT TO per address, sent with its code from {@link #rcptReplies}; absent means a text naming the
     * address. Real servers quote the address in many forms: a test that checks where it travels scripts them here.
     */
    public final Map<String, String> rcptReplyTexts = new ConcurrentHashMap<>();
    /** Reply code for MAIL FROM; 0 means accept. */
    public volatile int mailFromReply;
    /** Reply code after DATA; 0 means accept. */
    public volatile int dataReply;
    /** Milliseconds to stall after DATA before answering. */
    public volatile long dataDelayMs;
    /**
     * Asked once per message after its data was read (after {@link #dataDelayMs}, before {@link #dataReply}): a
     * fault for that message, or null to go on as scripted. For faults at random, a supplier over a seeded
     * {@code Random}.
     */
    public volatile Supplier<DataFault> dataFaults;

    private final SMTPServer server;

    public TestSmtpServer(Tls tls, TestTls cert, boolean auth) {
        this(0, tls, cert, auth);
    }

    /** A server on a given port (0: any free one). */
    public TestSmtpServer(int port, Tls tls, TestTls cert, boolean auth) {
        this(port, tls, cert, auth, Duration.ofSeconds(20));
    }

    /**
     * A server that closes a connection idle for longer than {@code idleTimeout} (20 s by default). A test that checks
     * that a client closes its connections itself ({@link #awaitClosed}) sets it longer than it waits.
     */
    public TestSmtpServer(int port, Tls tls, TestTls cert, boolean auth, Duration idleTimeout) {
        SMTPServer.Builder b = SMTPServer.port(port)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .connectionTimeout((int) idleTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .messageHandlerFactory(this::handler)
                .sessionHandler(new SessionHandler() {
                    @Override
                    public SessionAcceptance accept(org.subethamail.smtp.server.Session session) {
                        connections.incrementAndGet();
                        open.incrementAndGet();
                        return SessionAcceptance.success();
                    }

                    @Override
                    public void onSessionEnd(org.subethamail.smtp.server.Session session) {
                        open.decrementAndGet();
                    }
                });
        switch (tls) {
            case STARTTLS_REQUIRED -> b.enableTLS().requireTLS().startTlsSocketFactory(socket -> {
                SSLSocket s = (SSLSocket) cert.serverContext
                        .getSocketFactory()
                        .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                s.setUseClientMode(false);
                return s;
            });
            case IMPLICIT -> b.serverSocketFactory(cert.serverContext);
            case NONE -> b.hideTLS();
        }
        if (auth) {
            b.authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(this::login))
                    .requireAuth();
        }
        server = b.build();
        server.start();
    }

    private void login(String user, String given, MessageContext context) throws LoginFailedException {
        if (!USER.equals(user) || !password.equals(given)) {
            throw new LoginFailedException();
        }
    }

    public int port() {
        return server.getPortAllocated();
    }

    /** How many connections are open now (a client that closed its connection, or was dropped, is not counted). */
    public int openConnections() {
        return open.get();
    }

    /**
     * Waits until no connection is open, as after a client that leaks none was closed.
     *
     * @return true when none is open, false when one still is after the timeout
     */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String from;
            private final List<String> recipients = new ArrayList<>();

            @Override
            public void from(String address) throws RejectException {
                if (mailFromReply != 0) {
                    throw new RejectException(mailFromReply, "sender refused by test");
                }
                from = address;
            }

            @Override
            public void recipient(String address) throws RejectException {
                Integer code = rcptReplies.get(address);
                if (code != null) {
                    throw new RejectException(
                            code, rcptReplyTexts.getOrDefault(address, "recipient " + address + " refused by test"));
                }
                recipients.add(address);
            }

            @Override
            public String data(InputStream data) throws RejectException, IOException {
                byte[] raw;
                if (keepReceived) {
                    raw = data.readAllBytes();
                } else {
                    data.transferTo(OutputStream.nullOutputStream());
                    raw = null;
                }
                if (dataDelayMs > 0) {
                    try {
                        Thread.sleep(dataDelayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Supplier<DataFault> faults = dataFaults;
                DataFault fault = faults == null ? null : faults.get();
                if (fault != null && fault.replyCode() != 0) {
                    throw new RejectException(fault.replyCode(), "message refused by test");
                }
                if (dataReply != 0) {
                    throw new RejectException(dataReply, "message refused by test");
                }
                accepted.incrementAndGet();
                acceptedRecipients.addAll(recipients);
                if (raw != null) {
                    try {
                        MimeMessage parsed =
                                new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
                        received.add(new Received(from, List.copyOf(recipients), raw, parsed));
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IOException(e);
                    }
                }
                if (fault != null && fault.dropConnection()) {
                    drop(context);
                }
                return null;
            }

            @Override
            public void done() {}
        };
    }

    /**
     * Closes a session's connection with no reply. The server then fails to write its reply and ends the session.
     */
    private static void drop(MessageContext context) throws IOException {
        if (!(context instanceof org.subethamail.smtp.server.Session session)) {
            throw new IllegalStateException("SubEthaSMTP gave no session to drop: " + context.getClass());
        }
        Socket socket = session.getSocket();
        socket.close();
    }

    @Override
    public void close() {
        server.stop();
    }
}
