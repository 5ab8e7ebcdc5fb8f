package io.mailpath.transport.smtp;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the Jakarta Mail session that enforces the transport's security settings. */
final class SmtpSessions {
    private static final Logger LOG = Logger.getLogger(SmtpSessions.class.getName());

    private SmtpSessions() {}

    static Session create(SmtpSettings s, TransportConfig config) {
        Properties p = new Properties();
        p.putAll(s.passThrough);
        String m = "mail." + s.protocol() + ".";
        p.put("mail.transport.protocol", s.protocol());
        p.put(m + "host", s.host);
        p.put(m + "port", String.valueOf(s.port));
        p.put(m + "connectiontimeout", String.valueOf(s.connectTimeoutMs));
        p.put(m + "timeout", String.valueOf(s.readTimeoutMs));
        p.put(m + "writetimeout", String.valueOf(s.writeTimeoutMs));
        p.put(m + "auth", String.valueOf(s.username.isPresent()));
        // isConnected() checks a pooled connection (one idle long enough to be worth checking) with RSET rather than
        // NOOP, which some servers answer slowly.
        p.put(m + "userset", "true");
        // TCP_NODELAY in every mode: Angus creates the TCP socket with this factory and layers TLS over it.
        p.put(m + "socketFactory", NoDelaySockets.plain());
        // Deliver to the recipients the server accepts and report the others, rather than refusing the whole message.
        p.put(m + "sendpartial", "true");
        // Close a retired connection after sending QUIT without waiting for the reply: the message was sent, and a
        // server that stalls must not hold the connection (or a thread) for the read timeout.
        p.put(m + "quitwait", "false");
        switch (s.security) {
            case STARTTLS -> {
                p.put(m + "starttls.enable", "true");
                p.put(m + "starttls.required", "true");
                p.put(m + "ssl.checkserveridentity", "true");
            }
            case IMPLICIT -> {
                p.put(m + "ssl.enable", "true");
                p.put(m + "ssl.checkserveridentity", "true");
            }
            case INSECURE_PLAINTEXT -> {
                p.put(m + "starttls.enable", "false");
                p.put(m + "ssl.enable", "false");
            }
        }
        if (s.security != SmtpSettings.Security.INSECURE_PLAINTEXT) {
            p.put(m + "ssl.protocols", "TLSv1.3 TLSv1.2");
            // With implicit TLS, Angus creates the TCP socket itself when this key is set: the factory sets
            // TCP_NODELAY as it layers TLS over it.
            s.trustStore.ifPresent(
                    path -> p.put(m + "ssl.socketFactory", NoDelaySockets.tls(trustingSocketFactory(path, s, config))));
        }
        return Session.getInstance(p);
    }

    /**
     * The container's session with {@code TCP_NODELAY} on its sockets: a session of its own with the container
     * session's properties, provider, debug settings and (through {@link Session#requestPasswordAuthentication})
     * authenticator, plus Mailpath's plain socket factory, which only creates the unconnected TCP socket (trust and host
     * name checks stay the container's). The container's session is not changed. It is returned as it is when its
     * provider cannot be carried over.
     *
     * @param protocol the session's transport protocol, checked by {@link #requireTls}
     */
    static Session withNoDelay(Session container, String protocol) {
        Properties p = new Properties();
        Properties original = container.getProperties();
        // Values inherited from the properties' defaults, then the non-string ones (a socket factory instance) too.
        for (String name : original.stringPropertyNames()) {
            p.setProperty(name, original.getProperty(name));
        }
        p.putAll(original);
        p.put("mail." + protocol + ".socketFactory", NoDelaySockets.plain());
        Authenticator delegating = new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return container.requestPasswordAuthentication(
                        getRequestingSite(),
                        getRequestingPort(),
                        getRequestingProtocol(),
                        getRequestingPrompt(),
                        getDefaultUserName());
            }
        };
        try {
            Session copy = Session.getInstance(p, delegating);
            copy.setProvider(container.getProvider(protocol));
            copy.setDebug(container.getDebug());
            copy.setDebugOut(container.getDebugOut());
            return copy;
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.FINE, "The container's mail session is used as it is (without TCP_NODELAY)", e);
            return container;
        }
    }

    /**
     * Checks that a container-managed session enforces TLS as Mailpath's own would, and returns its protocol.
     *
     * @throws MailConfigurationException when it could send in plaintext and the insecure opt-in is not set
     */
    static String requireTls(Session session, SmtpSettings s, TransportConfig config) {
        String protocol = session.getProperty("mail.transport.protocol");
        if (protocol == null || protocol.isBlank()) {
            protocol = "smtp";
        }
        String m = "mail." + protocol + ".";
        boolean tls = protocol.equals("smtps")
                || Boolean.parseBoolean(session.getProperty(m + "ssl.enable"))
                || Boolean.parseBoolean(session.getProperty(m + "starttls.required"));
        if (!tls && s.security != SmtpSettings.Security.INSECURE_PLAINTEXT) {
            throw new MailConfigurationException("The mail session " + SmtpSettings.SESSION_JNDI.name()
                    + " names does not require TLS: set " + m + "starttls.required=true (or " + m
                    + "ssl.enable=true) in it, or " + SmtpSettings.INSECURE_PLAINTEXT.name()
                    + "=true for a test server");
        }
        refuseWeakTls(session, m, s, config);
        // Jakarta Mail waits forever by default; a pooled connection must not.
        List<String> missing = new ArrayList<>();
        for (String timeout : List.of("connectiontimeout", "timeout", "writetimeout")) {
            String value = session.getProperty(m + timeout);
            if (value == null
                    || value.isBlank()
                    || value.trim().equals("0")
                    || value.trim().startsWith("-")) {
                missing.add(m + timeout);
            }
        }
        if (!missing.isEmpty()) {
            throw new MailConfigurationException("The mail session " + SmtpSettings.SESSION_JNDI.name()
                    + " names has no timeout for " + String.join(", ", missing)
                    + ": set them in it (milliseconds), since Jakarta Mail would otherwise wait forever");
        }
        // Without it, one refused recipient fails the message for all of them.
        if (!Boolean.parseBoolean(session.getProperty(m + "sendpartial"))) {
            throw new MailConfigurationException("The mail session " + SmtpSettings.SESSION_JNDI.name()
                    + " names does not"
                    + " set " + m + "sendpartial=true: set it, so that the recipients the server accepts get the"
                    + " message and the refused ones are reported");
        }
        return protocol;
    }

    /**
     * A container session may ask for TLS and still accept any server: Mailpath refuses what it would never set itself,
     * naming the property. A host list in {@code ssl.trust} (a test server's own name) stays allowed; {@code *} does not.
     */
    private static void refuseWeakTls(Session session, String m, SmtpSettings s, TransportConfig config) {
        String named = "The mail session " + SmtpSettings.SESSION_JNDI.name() + " names";
        String trust = session.getProperty(m + "ssl.trust");
        if (trust != null && trust.trim().equals("*")) {
            throw new MailConfigurationException(named + " sets " + m + "ssl.trust=*, which trusts any server's"
                    + " certificate: name the hosts to trust, or give the JVM a trust store with the server's CA");
        }
        String identity = session.getProperty(m + "ssl.checkserveridentity");
        if (identity != null && identity.trim().equalsIgnoreCase("false")) {
            throw new MailConfigurationException(named + " sets " + m + "ssl.checkserveridentity=false: the"
                    + " server's certificate must name the server; remove the property");
        }
        for (String factory :
                List.of("ssl.socketFactory", "ssl.socketFactory.class", "socketFactory", "socketFactory.class")) {
            if (session.getProperties().get(m + factory) != null) {
                throw new MailConfigurationException(named + " sets " + m + factory + ": Mailpath cannot tell how a"
                        + " custom socket factory checks certificates; use mailpath.smtp.trust-store with a session"
                        + " Mailpath builds instead");
            }
        }
        if (s.security == SmtpSettings.Security.INSECURE_PLAINTEXT
                && Boolean.parseBoolean(session.getProperty(m + "auth"))
                && !Boolean.parseBoolean(session.getProperty(m + "ssl.enable"))
                && !Boolean.parseBoolean(session.getProperty(m + "starttls.required"))
                && !m.equals("mail.smtps.")) {
            throw new MailConfigurationException(named + " sets " + m + "auth=true while "
                    + SmtpSettings.INSECURE_PLAINTEXT.name() + "=true: credentials are only sent over TLS");
        }
    }

    private static javax.net.ssl.SSLSocketFactory trustingSocketFactory(
            String path, SmtpSettings s, TransportConfig config) {
        char[] password = config.reader()
                .optional(SmtpSettings.TRUST_STORE_PASSWORD)
                .map(String::toCharArray)
                .orElse(null);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(s.trustStoreType);
            store.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new MailConfigurationException(
                    SmtpSettings.TRUST_STORE.name() + " '" + path + "' cannot be loaded as " + s.trustStoreType + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }
}
