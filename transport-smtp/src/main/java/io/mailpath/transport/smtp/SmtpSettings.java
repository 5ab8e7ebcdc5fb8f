package io.mailpath.transport.smtp;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SMTP transport's settings, read from {@code mailpath.smtp.*}. Defaults are the secure ones: STARTTLS required,
 * server identity checked, AUTH only over TLS, and a message's metadata kept from its recipients.
 *
 * <p>{@value #METADATA_HEADER} (default {@value #DEFAULT_METADATA_HEADER}): metadata is for the sender (order ids, user
 * ids), and every recipient can read a message's headers, so it is not written to SMTP messages unless this is
 * {@code true}. Then each entry is one {@value io.mailpath.Mail#METADATA_HEADER} header whose value is the entry
 * form-encoded ({@code application/x-www-form-urlencoded}, UTF-8: {@code key=value}), folded with CRLF and a space
 * into lines of at most 78 characters. Form-encoding leaves no whitespace, so a reader decodes an entry by removing
 * all whitespace from the unfolded value, splitting it at the first {@code =} and form-decoding both sides. The
 * message's id ({@value io.mailpath.Mail#ID_HEADER}) is not metadata: it is always written.
 */
final class SmtpSettings {
    /** Default port with STARTTLS: {@value}. */
    static final int DEFAULT_PORT = 587;
    /** Default port with implicit TLS: {@value}. */
    static final int DEFAULT_IMPLICIT_TLS_PORT = 465;
    /** Default connect timeout: {@value} ms. */
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    /** Default read timeout: {@value} ms (Mailtarget's relay may take up to a minute per command). */
    static final long DEFAULT_READ_TIMEOUT_MS = 60_000;
    /** Default write timeout: {@value} ms. */
    static final long DEFAULT_WRITE_TIMEOUT_MS = 60_000;
    /** Default number of connections held open at most: {@value}. */
    static final int DEFAULT_POOL_MAX_CONNECTIONS = 4;
    /**
     * Default number of messages sent over one connection before it is replaced: {@value}. Mailtarget documents no
     * limit; its relay appears to run on SparkPost's software, whose relay reuses a connection for up to 100 messages.
     * A relay that ends a connection sooner (421 at the next MAIL FROM) costs one more attempt on a new connection, not a
     * failure; with {@code TCP_NODELAY} a new connection with STARTTLS and AUTH costs a few milliseconds.
     */
    static final int DEFAULT_POOL_MAX_MESSAGES = 100;
    /** Default time an unused connection is kept: {@value} ms. */
    static final long DEFAULT_POOL_MAX_IDLE_MS = 30_000;
    /**
     * Default age at which a connection is retired, whatever its use: {@value} ms (30 minutes, less up to 10% at random
     * per connection). A connection logs in once, so this bounds how long a rotated password takes to apply: well below
     * the 48 minutes a busy connection could otherwise keep the old login, and long enough that the reconnect (a few
     * milliseconds) happens about once per connection per half hour.
     */
    static final long DEFAULT_POOL_MAX_LIFETIME_MS = 30 * 60 * 1000;
    /**
     * Default idle time after which a pooled connection is checked with a round trip (RSET) before it is reused:
     * {@value} ms. A connection reused sooner is not checked; if it turns out closed before any of the message was
     * written, the message is sent once more over a new connection.
     */
    static final long DEFAULT_POOL_VALIDATE_AFTER_IDLE_MS = 2_000;
    /** Default time a send waits for a free connection: {@value} ms. */
    static final long DEFAULT_POOL_ACQUIRE_TIMEOUT_MS = 10_000;
    /** Default of {@value #METADATA_HEADER}: {@value}. */
    static final boolean DEFAULT_METADATA_HEADER = false;
    /** Default trust store type: {@value}. */
    static final String DEFAULT_TRUST_STORE_TYPE = "PKCS12";

    // Key names under mailpath.smtp.
    static final String SESSION_JNDI = "session-jndi";
    static final String HOST = "host";
    static final String INSECURE_PLAINTEXT = "insecure-plaintext";
    static final String TLS = "tls";
    static final String PORT = "port";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String TRUST_STORE = "trust-store";
    static final String TRUST_STORE_TYPE = "trust-store-type";
    static final String TRUST_STORE_PASSWORD = "trust-store-password";
    static final String CONNECT_TIMEOUT_MS = "connect-timeout-ms";
    static final String READ_TIMEOUT_MS = "read-timeout-ms";
    static final String WRITE_TIMEOUT_MS = "write-timeout-ms";
    static final String POOL_MAX_CONNECTIONS = "pool.max-connections";
    static final String POOL_MAX_MESSAGES = "pool.max-messages-per-connection";
    static final String POOL_MAX_IDLE_MS = "pool.max-idle-ms";
    static final String POOL_MAX_LIFETIME_MS = "pool.max-lifetime-ms";
    static final String POOL_VALIDATE_AFTER_IDLE_MS = "pool.validate-after-idle-ms";
    static final String POOL_ACQUIRE_TIMEOUT_MS = "pool.acquire-timeout-ms";
    static final String MESSAGE_ID_DOMAIN = "message-id-domain";
    static final String METADATA_HEADER = "metadata-header";

    /** Jakarta Mail settings Mailpath owns: a pass-through key may not weaken them. */
    private static final Set<String> PROTECTED = Set.of(
            "starttls.enable",
            "starttls.required",
            "ssl.enable",
            "ssl.checkserveridentity",
            "ssl.trust",
            "ssl.socketFactory",
            "ssl.socketFactory.class",
            "ssl.socketFactory.port",
            "ssl.protocols",
            "ssl.ciphersuites",
            "socketFactory",
            "socketFactory.class",
            "socketFactory.port",
            "socketFactory.fallback",
            "auth",
            "host",
            "port",
            "connectiontimeout",
            "timeout",
            "writetimeout",
            "quitwait");

    /**
     * Session-wide Jakarta Mail settings a pass-through key may not set: {@code mail.debug.auth} traces the AUTH
     * exchange (with LOGIN or PLAIN, the password in base64) and {@code mail.debug.auth.password} the password itself.
     */
    private static final Set<String> PROTECTED_SESSION = Set.of("mail.debug.auth", "mail.debug.auth.password");

    enum Security {
        /** Plain connection upgraded with STARTTLS, which the server must offer. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465). */
        IMPLICIT,
        /** No TLS at all: only for tests against a local server. */
        INSECURE_PLAINTEXT
    }

    final Optional<String> sessionJndi;
    final String host;
    final int port;
    final Security security;
    final Optional<String> username;
    final Optional<String> trustStore;
    final String trustStoreType;
    final long connectTimeoutMs;
    final long readTimeoutMs;
    final long writeTimeoutMs;
    final int poolMaxConnections;
    final int poolMaxMessages;
    final long poolMaxIdleMs;
    final long poolMaxLifetimeMs;
    final long poolValidateAfterIdleMs;
    final long poolAcquireTimeoutMs;
    final Optional<String> messageIdDomain;
    /** Whether metadata is written to messages (as {@value io.mailpath.Mail#METADATA_HEADER} headers). */
    final boolean metadataHeader;

    final Map<String, String> passThrough;

    private SmtpSettings(TransportConfig c) {
        sessionJndi = c.get(SESSION_JNDI);
        // With a container-managed session, the server and credentials are the session's.
        host = sessionJndi.isPresent() ? c.get(HOST).orElse(null) : c.require(HOST);
        boolean plaintext = c.get(INSECURE_PLAINTEXT, Boolean.class, false);
        String tls = c.get(TLS).orElse("starttls").toLowerCase(Locale.ROOT);
        if (plaintext) {
            security = Security.INSECURE_PLAINTEXT;
        } else if (tls.equals("starttls")) {
            security = Security.STARTTLS;
        } else if (tls.equals("implicit")) {
            security = Security.IMPLICIT;
        } else {
            throw new MailConfigurationException(c.key(TLS) + " must be 'starttls' or 'implicit'");
        }
        port = (int) c.positive(PORT, security == Security.IMPLICIT ? DEFAULT_IMPLICIT_TLS_PORT : DEFAULT_PORT);
        username = c.get(USERNAME);
        if (username.isPresent() && security == Security.INSECURE_PLAINTEXT) {
            throw new MailConfigurationException(c.key(USERNAME) + " is set while " + c.key(INSECURE_PLAINTEXT)
                    + "=true: credentials are only sent over TLS");
        }
        if (username.isPresent() && c.get(PASSWORD).isEmpty()) {
            throw new MailConfigurationException(c.key(PASSWORD) + " is required when " + c.key(USERNAME) + " is set");
        }
        trustStore = c.get(TRUST_STORE);
        trustStoreType = c.get(TRUST_STORE_TYPE).orElse(DEFAULT_TRUST_STORE_TYPE);
        connectTimeoutMs = c.positive(CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS);
        readTimeoutMs = c.positive(READ_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS);
        writeTimeoutMs = c.positive(WRITE_TIMEOUT_MS, DEFAULT_WRITE_TIMEOUT_MS);
        poolMaxConnections = (int) c.positive(POOL_MAX_CONNECTIONS, DEFAULT_POOL_MAX_CONNECTIONS);
        poolMaxMessages = (int) c.positive(POOL_MAX_MESSAGES, DEFAULT_POOL_MAX_MESSAGES);
        poolMaxIdleMs = c.positive(POOL_MAX_IDLE_MS, DEFAULT_POOL_MAX_IDLE_MS);
        poolMaxLifetimeMs = c.positive(POOL_MAX_LIFETIME_MS, DEFAULT_POOL_MAX_LIFETIME_MS);
        // 0 checks every reused connection.
        poolValidateAfterIdleMs = c.get(POOL_VALIDATE_AFTER_IDLE_MS, Long.class, DEFAULT_POOL_VALIDATE_AFTER_IDLE_MS);
        if (poolValidateAfterIdleMs < 0) {
            throw new MailConfigurationException(c.key(POOL_VALIDATE_AFTER_IDLE_MS) + " must be 0 or greater");
        }
        poolAcquireTimeoutMs = c.positive(POOL_ACQUIRE_TIMEOUT_MS, DEFAULT_POOL_ACQUIRE_TIMEOUT_MS);
        messageIdDomain = c.get(MESSAGE_ID_DOMAIN);
        metadataHeader = c.get(METADATA_HEADER, Boolean.class, DEFAULT_METADATA_HEADER);
        passThrough = c.passThrough("mail.");
        for (String key : passThrough.keySet()) {
            if (PROTECTED_SESSION.contains(key)) {
                throw new MailConfigurationException(c.key(key)
                        + " cannot be passed through: it would write the SMTP credentials to the debug output");
            }
            String setting = key.replaceFirst("^mail\\.smtps?\\.", "");
            // Jakarta Mail reads mail.debug.auth*, not mail.smtp.debug.auth*; refused so that nobody believes it
            // harmless.
            if (setting.startsWith("debug.auth")) {
                throw new MailConfigurationException(c.key(key)
                        + " cannot be passed through: Jakarta Mail's authentication debugging would write the SMTP"
                        + " credentials to the debug output");
            }
            if (PROTECTED.contains(setting)) {
                throw new MailConfigurationException(
                        c.key(key) + " cannot be passed through: Mailpath sets '" + setting + "' from its own keys");
            }
        }
    }

    static SmtpSettings from(TransportConfig config) {
        return new SmtpSettings(config);
    }

    String protocol() {
        return security == Security.IMPLICIT ? "smtps" : "smtp";
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + ", " + security + ", user "
                + (username.isPresent() ? "set" : "none") + "]";
    }
}
