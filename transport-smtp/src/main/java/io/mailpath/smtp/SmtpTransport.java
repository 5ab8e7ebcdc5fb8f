package io.mailpath.smtp;

import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.Transport;
import io.mailpath.spi.TransportConfig;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends over SMTP with Jakarta Mail through a pool of connections. A message with per-recipient data goes out as one
 * MIME message per recipient; a recipient the server refuses while accepting others is reported in the receipt.
 */
public final class SmtpTransport implements Transport {
    private static final Logger LOG = Logger.getLogger(SmtpTransport.class.getName());
    private static final Set<Capability> CAPABILITIES = EnumSet.of(
            Capability.METADATA, Capability.PER_RECIPIENT_DATA, Capability.ATTACHMENTS, Capability.CUSTOM_HEADERS);

    private final SmtpSettings settings;
    private final SmtpComposer composer;
    private final SmtpConnectionPool pool;
    private final String where;

    /**
     * @param session a container-managed session to use instead of one built from the configuration, or null
     */
    SmtpTransport(TransportConfig config, Session session) {
        this.settings = SmtpSettings.from(config);
        SmtpConnectionPool.Connector connector;
        if (session == null) {
            Session built = SmtpSessions.create(settings, config);
            this.where = settings.host + ":" + settings.port;
            this.composer = new SmtpComposer(built, settings.messageIdDomain.orElse(null));
            connector = () -> {
                jakarta.mail.Transport t = built.getTransport(settings.protocol());
                if (settings.username.isPresent()) {
                    // Read on every new connection, so that a rotated password applies without a restart.
                    t.connect(settings.host, settings.port, settings.username.get(), config.require("password"));
                } else {
                    t.connect(settings.host, settings.port, null, null);
                }
                return t;
            };
        } else {
            String protocol = SmtpSessions.requireTls(session, settings, config);
            String host = session.getProperty("mail." + protocol + ".host");
            String port = session.getProperty("mail." + protocol + ".port");
            this.where = (host != null ? host : session.getProperty("mail.host")) + ":"
                    + (port != null ? port : protocol.equals("smtps") ? "465" : "25");
            this.composer = new SmtpComposer(session, settings.messageIdDomain.orElse(null));
            connector = () -> {
                // The container's session holds the server and the credentials; the RSET check before reuse is
                // set on the transport itself.
                jakarta.mail.Transport t = session.getTransport(protocol);
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
                settings.poolAcquireTimeoutMs);
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
    public String name() {
        return SmtpTransportProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public SendReceipt send(Mail mail) {
        long start = System.nanoTime();
        List<SmtpComposer.Composed> messages = composer.compose(mail);
        List<Delivery> deliveries = new ArrayList<>();
        List<RejectedRecipient> rejected = new ArrayList<>();
        MailException firstFailure = null;
        for (SmtpComposer.Composed m : messages) {
            try {
                List<String> sentTo = sendOne(m, rejected);
                deliveries.add(new Delivery(sentTo, null, m.messageId()));
            } catch (MailException e) {
                if (messages.size() == 1) {
                    throw e;
                }
                // One recipient's own message failed while others may have gone out: report it, keep going. An
                // uncertain outcome wins, so that the caller does not take the message for undelivered.
                if (firstFailure == null
                        || (e.kind() == FailureKind.UNCERTAIN && firstFailure.kind() != FailureKind.UNCERTAIN)) {
                    firstFailure = e;
                }
                for (String r : m.recipients()) {
                    rejected.add(RejectedRecipient.failed(r, e));
                }
            }
        }
        if (deliveries.isEmpty()) {
            throw firstFailure;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(
                Level.FINE,
                () -> "Sent " + mail.id() + " over SMTP as " + deliveries.size() + " message(s) in " + took.toMillis()
                        + " ms");
        return SendReceipt.delivered(name(), mail.id(), deliveries, rejected, 250, took);
    }

    /** Sends one MIME message; returns the recipients it reached and adds refused ones to {@code rejected}. */
    private List<String> sendOne(SmtpComposer.Composed m, List<RejectedRecipient> rejected) {
        SmtpConnectionPool.Connection c = pool.acquire();
        boolean sent = false;
        boolean healthy = false;
        try {
            c.transport.sendMessage(m.message(), m.envelope());
            sent = true;
            healthy = true;
            return m.recipients();
        } catch (SendFailedException e) {
            // The server refused some or all recipients, or the message after RCPT; the connection is still usable.
            healthy = true;
            List<String> reached = addresses(e.getValidSentAddresses());
            List<RejectedRecipient> refused = refusedRecipients(e);
            if (reached.isEmpty()) {
                throw failure(e, refused);
            }
            sent = true;
            rejected.addAll(refused);
            return reached;
        } catch (MessagingException e) {
            throw SmtpFailures.classifySend(e, where);
        } finally {
            pool.release(c, sent, healthy);
        }
    }

    private MailException failure(SendFailedException e, List<RejectedRecipient> refused) {
        int code = SmtpFailures.replyCode(e);
        if (code > 0) {
            // The exception carries its own reply: MAIL FROM or DATA was refused, which concerns the whole message.
            return SmtpFailures.byCode(
                    code, "SMTP server " + where + " replied " + SmtpFailures.oneLine(e.getMessage()), e);
        }
        // Every recipient was refused: the kind follows the refusals (any temporary one makes it retryable).
        boolean temporary = refused.stream().anyMatch(r -> r.status() >= 400 && r.status() < 500);
        int status = refused.isEmpty() ? code : refused.get(0).status();
        StringBuilder why = new StringBuilder("SMTP server " + where + " refused every recipient:");
        for (RejectedRecipient r : refused) {
            why.append(' ').append(r.address()).append(" (").append(r.reason()).append(')');
        }
        return temporary
                ? SmtpFailures.byCode(status >= 400 && status < 500 ? status : 450, why.toString(), e)
                : SmtpFailures.byCode(status > 0 ? status : 550, why.toString(), e);
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
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "SmtpTransport[" + settings + "]";
    }
}
