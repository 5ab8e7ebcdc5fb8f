package io.mailpath.transport.smtp;

import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.RejectedRecipient;
import io.mailpath.spi.AbstractTransport;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.PartReceipt;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends over SMTP with Jakarta Mail through a pool of connections. A message with per-recipient data goes out as one
 * MIME message per recipient, each rendered just before it is sent; a recipient the server refuses while accepting
 * others is reported in the receipt.
 */
final class SmtpTransport extends AbstractTransport<SmtpComposer.Outgoing> {
    private static final Logger LOG = Logger.getLogger(SmtpTransport.class.getName());

    private final SmtpSettings settings;
    private final SmtpComposer composer;
    private final SmtpConnectionPool pool;
    private final String where;
    /** The longest one message can take by the timeouts: a free connection, connect, a reply, a write. */
    private final Duration requestTimeout;

    /**
     * @param session a container-managed session to use instead of one built from the configuration, or null
     */
    SmtpTransport(TransportProvider provider, TransportConfig config, Session session) {
        this(provider, config, session, System::nanoTime);
    }

    /**
     * @param session a container-managed session to use instead of one built from the configuration, or null
     * @param clock the pool's time in nanoseconds, which a test controls to age connections
     */
    SmtpTransport(TransportProvider provider, TransportConfig config, Session session, LongSupplier clock) {
        super(provider);
        this.settings = SmtpSettings.from(config);
        SmtpConnectionPool.Connector connector;
        if (session == null) {
            Session built = SmtpSessions.create(settings, config);
            this.where = settings.host + ":" + settings.port;
            this.composer = new SmtpComposer(built, settings.messageIdDomain.orElse(null), settings.metadataHeader);
            this.requestTimeout = Duration.ofMillis(settings.poolAcquireTimeoutMs
                    + settings.connectTimeoutMs
                    + settings.readTimeoutMs
                    + settings.writeTimeoutMs);
            connector = () -> {
                jakarta.mail.Transport t = built.getTransport(settings.protocol());
                if (settings.username.isPresent()) {
                    // Read on every new connection, so that a rotated password applies without a restart.
                    t.connect(
                            settings.host,
                            settings.port,
                            settings.username.get(),
                            config.reader().required(SmtpSettings.PASSWORD));
                } else {
                    t.connect(settings.host, settings.port, null, null);
                }
                return t;
            };
        } else {
            String protocol = SmtpSessions.requireTls(session, settings, config);
            Session noDelay = SmtpSessions.withNoDelay(session, protocol);
            String host = session.getProperty("mail." + protocol + ".host");
            String port = session.getProperty("mail." + protocol + ".port");
            this.where = (host != null ? host : session.getProperty("mail.host")) + ":"
                    + (port != null ? port : protocol.equals("smtps") ? "465" : "25");
            this.composer = new SmtpComposer(noDelay, settings.messageIdDomain.orElse(null), settings.metadataHeader);
            // The container's session must set all three (checked above); they are in milliseconds.
            long sessionTimeouts = 0;
            for (String timeout : List.of("connectiontimeout", "timeout", "writetimeout")) {
                String property = "mail." + protocol + "." + timeout;
                try {
                    sessionTimeouts +=
                            Long.parseLong(session.getProperty(property).trim());
                } catch (NumberFormatException e) {
                    throw new MailConfigurationException("The mail session " + SmtpSettings.SESSION_JNDI.name()
                            + " names sets " + property + " to something other than a number of milliseconds");
                }
            }
            this.requestTimeout = Duration.ofMillis(settings.poolAcquireTimeoutMs + sessionTimeouts);
            connector = () -> {
                // The container's session holds the server and the credentials; RSET for the check of an idle
                // connection is set on the transport itself.
                jakarta.mail.Transport t = noDelay.getTransport(protocol);
                enable(t, "setUseRset");
                t.connect();
                return t;
            };
        }
        this.pool = new SmtpConnectionPool(
                connector,
                where,
                settings.poolMaxConnections,
                settings.poolMaxMessages,
                settings.poolMaxIdleMs,
                settings.poolMaxLifetimeMs,
                settings.poolValidateAfterIdleMs,
                settings.poolAcquireTimeoutMs,
                clock);
    }

    @Override
    public Optional<Duration> requestTimeout() {
        return Optional.of(requestTimeout);
    }

    @Override
    public Optional<ConnectionPoolState> connectionPool() {
        return Optional.of(pool.state());
    }

    /**
     * Calls one of Angus's {@code SMTPTransport} boolean setters, read without a compile-time dependency on Angus;
     * another implementation is left as its session configures it.
     */
    private static void enable(jakarta.mail.Transport t, String setter) {
        try {
            t.getClass().getMethod(setter, boolean.class).invoke(t, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, () -> t.getClass().getName() + " has no " + setter + "(boolean)");
        }
    }

    @Override
    protected List<SmtpComposer.Outgoing> compose(Mail mail) {
        return composer.compose(mail);
    }

    @Override
    protected List<String> recipients(SmtpComposer.Outgoing part) {
        return part.recipients();
    }

    /**
     * Renders one part's MIME message and sends it; the receipt lists the recipients it reached and those the server
     * refused. The message is rendered before a connection is taken, and is not kept: only the part being sent is
     * held. A pooled connection that turns out closed before any of the message was written (the server ended it
     * while it was idle) costs one more attempt over a new connection; nothing is ever sent again once the message's
     * content went out.
     */
    @Override
    protected PartReceipt deliver(SmtpComposer.Outgoing part) {
        MimeMessage message = composer.message(part);
        SmtpConnectionPool.Connection c = pool.acquire();
        PartReceipt receipt = attempt(part, message, c, c.reused);
        if (receipt == null) {
            LOG.fine(() -> "A pooled connection to " + where + " was closed; sending over a new one");
            receipt = attempt(part, message, pool.acquireNew(), false);
        }
        return receipt;
    }

    /**
     * Sends one message over one connection and gives it back.
     *
     * @param mayRetry whether to return null rather than fail when the connection turns out gone before any of the
     *     message was written
     */
    private PartReceipt attempt(
            SmtpComposer.Outgoing part, MimeMessage message, SmtpConnectionPool.Connection c, boolean mayRetry) {
        boolean sent = false;
        boolean healthy = false;
        try {
            c.transport.sendMessage(message, part.envelope());
            sent = true;
            healthy = true;
            return PartReceipt.accepted(new Delivery(part.recipients(), null, part.messageId()), 250);
        } catch (SendFailedException e) {
            List<String> reached = addresses(e.getValidSentAddresses());
            List<RejectedRecipient> refused = refusedRecipients(e);
            if (!reached.isEmpty()) {
                // The message went out to the recipients the server accepted; it refused the others.
                sent = true;
                healthy = true;
                return new PartReceipt(new Delivery(reached, null, part.messageId()), refused, 250);
            }
            int code = SmtpFailures.replyCode(e);
            boolean refusedWithCode = refused.stream().anyMatch(r -> r.status() > 0);
            if (mayRetry && (code > 0 || !refusedWithCode) && goneBeforeTheMessage(e, message)) {
                return null;
            }
            if (code > 0 || refusedWithCode) {
                // The server answered: it refused the message or every recipient; the connection is still usable
                // unless the server said it is closing it.
                MailException failure = failure(e, refused);
                healthy = failure.status() != SmtpFailures.CLOSING;
                throw failure;
            }
            // No reply code: Angus reports a connection that ended ("[EOF]") this way too.
            throw SmtpFailures.classifySend(e, where, phase(message, c));
        } catch (MessagingException e) {
            if (mayRetry && goneBeforeTheMessage(e, message)) {
                return null;
            }
            MailException unreadable = SmtpComposer.unreadableAttachment(e);
            throw unreadable != null ? unreadable : SmtpFailures.classifySend(e, where, phase(message, c));
        } finally {
            // A connection that failed without a reply is closed, never reused.
            pool.release(c, sent, healthy);
        }
    }

    /**
     * Whether the connection was found gone (ended, reset, or the server replied 421: closing) before any of the
     * message's content was written, so that the server cannot have accepted it. A timeout is not: the server may be
     * alive but slow, and a second attempt would double the wait.
     */
    private static boolean goneBeforeTheMessage(MessagingException e, MimeMessage message) {
        return !SmtpComposer.writeStarted(message) && SmtpFailures.connectionGone(e);
    }

    private static SmtpFailures.Phase phase(MimeMessage message, SmtpConnectionPool.Connection c) {
        return SmtpFailures.phase(SmtpComposer.completelyWritten(message), c.transport);
    }

    /** The server refused the message (its own reply code) or every recipient (their reply codes). */
    private MailException failure(SendFailedException e, List<RejectedRecipient> refused) {
        int code = SmtpFailures.replyCode(e);
        if (code > 0) {
            // The exception carries its own reply: MAIL FROM or DATA was refused, which concerns the whole message.
            return SmtpFailures.byCode(
                    code, "SMTP server " + where + " replied " + SmtpFailures.oneLine(e.getMessage()), e);
        }
        // Every recipient was refused: the kind follows the refusals that carry a code (any temporary one makes it
        // retryable); a refusal without a code is never given one. A reply that speaks for the session (421, an
        // authentication code) makes it a failure of the session; otherwise it is the recipients' failure.
        List<RejectedRecipient> answered =
                refused.stream().filter(r -> r.status() > 0).toList();
        Optional<RejectedRecipient> session = answered.stream()
                .filter(r -> SmtpFailures.concernsTheSession(r.status()))
                .findFirst();
        RejectedRecipient first = session.orElseGet(() -> answered.stream()
                .filter(r -> r.status() >= 400 && r.status() < 500)
                .findFirst()
                .orElse(answered.get(0)));
        StringBuilder why = new StringBuilder("SMTP server " + where + " refused every recipient:");
        for (RejectedRecipient r : refused) {
            why.append(' ').append(r.address()).append(" (").append(r.reason()).append(')');
        }
        if (session.isPresent()) {
            return SmtpFailures.byCode(first.status(), why.toString(), e);
        }
        return SmtpFailures.recipientsRefused(first.status(), why.toString(), e, refused);
    }

    private static List<RejectedRecipient> refusedRecipients(SendFailedException e) {
        List<RejectedRecipient> result = new ArrayList<>();
        List<String> invalid = addresses(e.getInvalidAddresses());
        List<String> unsent = addresses(e.getValidUnsentAddresses());
        // Angus chains one exception per refused recipient, each with its address and reply code.
        for (Exception n = e.getNextException(); n != null; ) {
            String address = addressOf(n);
            if (address != null) {
                result.add(RejectedRecipient.refused(
                        address, SmtpFailures.replyCode(n), SmtpFailures.oneLine(n.getMessage())));
                invalid.remove(address);
                unsent.remove(address);
            }
            n = n instanceof MessagingException me ? me.getNextException() : null;
        }
        for (String a : invalid) {
            result.add(new RejectedRecipient(a, FailureKind.REJECTED, MailException.NO_STATUS, "invalid address"));
        }
        int code = SmtpFailures.replyCode(e);
        for (String a : unsent) {
            result.add(RejectedRecipient.refused(a, code, SmtpFailures.oneLine(e.getMessage())));
        }
        return result;
    }

    /** The address an Angus SMTPAddressFailedException names, read without a compile-time dependency on Angus. */
    private static String addressOf(Exception e) {
        try {
            Object a = e.getClass().getMethod("getAddress").invoke(e);
            return a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : null;
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            return null;
        }
    }

    private static List<String> addresses(Address[] list) {
        List<String> result = new ArrayList<>();
        if (list != null) {
            for (Address a : list) {
                result.add(a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : a.toString());
            }
        }
        return result;
    }

    @Override
    protected void release() {
        pool.close();
    }

    @Override
    public String toString() {
        return "SmtpTransport[" + settings + "]";
    }
}
