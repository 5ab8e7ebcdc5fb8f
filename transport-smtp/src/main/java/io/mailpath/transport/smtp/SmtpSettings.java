package io.mailpath.transport.smtp;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SMTP transport's settings, read from {@code mailpath.smtp.*}. Defaults are the secure ones: STARTTLS required,
 * server identity checked, AUTH only over TLS, and a message's metadata kept from its recipients.
 *
 * <p>{@code mailpath.smtp.metadata-header} (default {@value #DEFAULT_METADATA_HEADER}): metadata is for the sender (order ids, user
 * ids), and every recipient can read a message's headers, so it is not written to SMTP messages unless this is
 * {@code true}. Then each entry is one {@value io.mailpath.Mail#METADATA_HEADER} header whose value is the entry
 * form-encoded ({@code application/x-www-form-urlencoded}, UTF-8: {@code key=value}), folded with CRLF and a space
 * into lines of at most 78 characters. Form-encoding leaves no whitespace, so a reader decodes an entry by removing
 * all whitespace from the unfolded value, splitting it at the first {@code =} and form-decoding both sides. A named
 * stream's name is one more entry, {@value io.mailpath.Mail#STREAM_METADATA_KEY}, as in the API's metadata. The
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
    /** Default of {@code mailpath.smtp.metadata-header}: {@value}. */
    static final boolean DEFAULT_METADATA_HEADER = false;
    /** Default trust store type: {@value}. */
    static final String DEFAULT_TRUST_STORE_TYPE = "PKCS12";

    private static final String SMTP = ConfigKey.PREFIX + "smtp.";

    static final ConfigKey<String> HOST = ConfigKey.string(SMTP + "host", "SMTP server, e.g. `smtp.mtrgt.net`.")
            .documentedDefault("— (required unless `session-jndi`)");
    static final ConfigKey<Long> PORT = ConfigKey.number(SMTP + "port", DEFAULT_PORT, "Port.")
            .atMost(65_535)
            .documentedDefault("`" + DEFAULT_PORT + "` (`" + DEFAULT_IMPLICIT_TLS_PORT + "` with `tls=implicit`)");
    static final ConfigKey<String> TLS = ConfigKey.oneOf(
            SMTP + "tls",
            "starttls",
            "`starttls`: STARTTLS is required and a server that does not offer it is refused; `implicit`: TLS from"
                    + " the first byte (SMTPS).",
            "starttls",
            "implicit");
    static final ConfigKey<Boolean> INSECURE_PLAINTEXT = ConfigKey.bool(
            SMTP + "insecure-plaintext",
            false,
            "`true` sends without any TLS: for local test servers only; credentials are then refused.");
    static final ConfigKey<String> USERNAME = ConfigKey.string(
            SMTP + "username", "AUTH user (Mailtarget: `smtp_mt_injection`); AUTH happens only over TLS.");
    static final ConfigKey<String> PASSWORD = ConfigKey.secret(
                    SMTP + "password",
                    "AUTH password (Mailtarget: an API key with \"Send via SMTP\"), read for every new connection,"
                            + " so a rotated one applies to new connections; never logged.")
            .documentedDefault("— (required with a username)");
    static final ConfigKey<String> TRUST_STORE = ConfigKey.string(
                    SMTP + "trust-store",
                    "Trust store file for the server's certificate, read when the transport is created; use an"
                            + " absolute path. The server's name is always checked.")
            .documentedDefault("the JVM's trust store");
    static final ConfigKey<String> TRUST_STORE_PASSWORD =
            ConfigKey.secret(SMTP + "trust-store-password", "The trust store's password.");
    static final ConfigKey<String> TRUST_STORE_TYPE =
            ConfigKey.string(SMTP + "trust-store-type", DEFAULT_TRUST_STORE_TYPE, "The trust store's type.");
    // Jakarta Mail reads its timeouts as an int, and one that does not parse as waiting forever.
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.millis(
                    SMTP + "connect-timeout-ms", DEFAULT_CONNECT_TIMEOUT_MS, "Connect timeout.")
            .atMost(Integer.MAX_VALUE);
    static final ConfigKey<Duration> READ_TIMEOUT = ConfigKey.millis(
                    SMTP + "read-timeout-ms", DEFAULT_READ_TIMEOUT_MS, "Time to wait for each reply.")
            .atMost(Integer.MAX_VALUE);
    static final ConfigKey<Duration> WRITE_TIMEOUT = ConfigKey.millis(
                    SMTP + "write-timeout-ms", DEFAULT_WRITE_TIMEOUT_MS, "Time to write each block.")
            .atMost(Integer.MAX_VALUE);
    static final ConfigKey<Long> POOL_MAX_CONNECTIONS = ConfigKey.number(
                    SMTP + "pool.max-connections",
                    DEFAULT_POOL_MAX_CONNECTIONS,
                    "Connections held open at most; senders beyond wait.")
            .atMost(Integer.MAX_VALUE);
    static final ConfigKey<Long> POOL_MAX_MESSAGES = ConfigKey.number(
                    SMTP + "pool.max-messages-per-connection",
                    DEFAULT_POOL_MAX_MESSAGES,
                    "A connection is replaced after this many messages.")
            .atMost(Integer.MAX_VALUE);
    static final ConfigKey<Duration> POOL_MAX_IDLE = ConfigKey.millis(
            SMTP + "pool.max-idle-ms",
            DEFAULT_POOL_MAX_IDLE_MS,
            "An unused connection older than this is closed instead of reused.");
    static final ConfigKey<Duration> POOL_MAX_LIFETIME = ConfigKey.millis(
            SMTP + "pool.max-lifetime-ms",
            DEFAULT_POOL_MAX_LIFETIME_MS,
            "The longest a connection is kept, less a random 0-10 % so connections opened together do not reconnect"
                    + " together; closed when next given back or taken, never mid-send. A rotated password applies"
                    + " within it.");
    static final ConfigKey<Duration> POOL_VALIDATE_AFTER_IDLE = ConfigKey.millis(
                    SMTP + "pool.validate-after-idle-ms",
                    DEFAULT_POOL_VALIDATE_AFTER_IDLE_MS,
                    "A pooled connection idle longer than this is checked (`RSET`) before reuse; `0` checks every"
                            + " reuse.")
            .atLeast(0);
    static final ConfigKey<Duration> POOL_ACQUIRE_TIMEOUT = ConfigKey.millis(
            SMTP + "pool.acquire-timeout-ms",
            DEFAULT_POOL_ACQUIRE_TIMEOUT_MS,
            "How long a send waits for a free connection before it fails `UNAVAILABLE`.");
    static final ConfigKey<String> MESSAGE_ID_DOMAIN = ConfigKey.string(
                    SMTP + "message-id-domain", "Domain part of generated Message-IDs.")
            .documentedDefault("the sender's domain");
    static final ConfigKey<Boolean> METADATA_HEADER = ConfigKey.bool(
            SMTP + "metadata-header",
            DEFAULT_METADATA_HEADER,
            "`true` writes each metadata entry as an `X-Mailpath-Metadata` header, which every recipient can read;"
                    + " without it, metadata is not sent over SMTP.");
    static final ConfigKey<String> SESSION_JNDI = ConfigKey.string(
            SMTP + "session-jndi",
            "JNDI name of a container-managed `jakarta.mail.Session` used instead of one built from these keys; it"
                    + " must require TLS and set Jakarta Mail's timeouts, or the deployment fails naming the property.");
    /** Settings passed through to Jakarta Mail: listed for the reference, read with {@link TransportConfig#passThrough}. */
    static final ConfigKey<String> PASS_THROUGH = ConfigKey.string(
            SMTP + "mail.smtp.*",
            "Passed to Jakarta Mail as `mail.smtp.*` (e.g. `mailpath.smtp.mail.smtp.localhost`); keys that would"
                    + " weaken TLS, AUTH or the timeouts, `quitwait` and authentication debugging are refused.");

    /** The SMTP transport's keys, for the configuration reference. */
    static final KeyGroup KEYS = KeyGroup.of(
            "SMTP transport",
            "Defaults are the secure ones: STARTTLS required, server identity checked, AUTH only over TLS.",
            HOST,
            PORT,
            TLS,
            INSECURE_PLAINTEXT,
            USERNAME,
            PASSWORD,
            TRUST_STORE,
            TRUST_STORE_PASSWORD,
            TRUST_STORE_TYPE,
            CONNECT_TIMEOUT,
            READ_TIMEOUT,
            WRITE_TIMEOUT,
            POOL_MAX_CONNECTIONS,
            POOL_ACQUIRE_TIMEOUT,
            POOL_MAX_MESSAGES,
            POOL_MAX_IDLE,
            POOL_MAX_LIFETIME,
            POOL_VALIDATE_AFTER_IDLE,
            MESSAGE_ID_DOMAIN,
            METADATA_HEADER,
            SESSION_JNDI,
            PASS_THROUGH);

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
        ConfigReader r = c.reader();
        sessionJndi = r.optional(SESSION_JNDI);
        // With a container-managed session, the server and credentials are the session's.
        host = sessionJndi.isPresent() ? r.optional(HOST).orElse(null) : r.required(HOST);
        boolean plaintext = r.get(INSECURE_PLAINTEXT);
        String tls = r.get(TLS);
        if (plaintext) {
            security = Security.INSECURE_PLAINTEXT;
        } else if (tls.equals("starttls")) {
            security = Security.STARTTLS;
        } else {
            security = Security.IMPLICIT;
        }
        port = r.optional(PORT)
                .orElse((long) (security == Security.IMPLICIT ? DEFAULT_IMPLICIT_TLS_PORT : DEFAULT_PORT))
                .intValue();
        username = r.optional(USERNAME);
        if (username.isPresent() && security == Security.INSECURE_PLAINTEXT) {
            throw USERNAME.invalid(
                    "unset while " + INSECURE_PLAINTEXT.name() + "=true: credentials are only sent over TLS", null);
        }
        if (username.isPresent() && r.optional(PASSWORD).isEmpty()) {
            throw PASSWORD.missing("when " + USERNAME.name() + " is set");
        }
        trustStore = r.optional(TRUST_STORE);
        trustStoreType = r.get(TRUST_STORE_TYPE);
        connectTimeoutMs = r.get(CONNECT_TIMEOUT).toMillis();
        readTimeoutMs = r.get(READ_TIMEOUT).toMillis();
        writeTimeoutMs = r.get(WRITE_TIMEOUT).toMillis();
        poolMaxConnections = r.get(POOL_MAX_CONNECTIONS).intValue();
        poolMaxMessages = r.get(POOL_MAX_MESSAGES).intValue();
        poolMaxIdleMs = r.get(POOL_MAX_IDLE).toMillis();
        poolMaxLifetimeMs = r.get(POOL_MAX_LIFETIME).toMillis();
        // 0 checks every reused connection.
        poolValidateAfterIdleMs = r.get(POOL_VALIDATE_AFTER_IDLE).toMillis();
        poolAcquireTimeoutMs = r.get(POOL_ACQUIRE_TIMEOUT).toMillis();
        messageIdDomain = r.optional(MESSAGE_ID_DOMAIN);
        metadataHeader = r.get(METADATA_HEADER);
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
