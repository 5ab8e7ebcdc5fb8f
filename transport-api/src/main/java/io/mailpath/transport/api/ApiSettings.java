package io.mailpath.transport.api;

import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The API transport's settings: {@code mailpath.api.*}, or the standard Rest Client keys
 * {@code mailtarget-api/mp-rest/url|connectTimeout|readTimeout}; a {@code mailpath.api.*} key wins when both are set.
 */
final class ApiSettings {
    /** Default base URL: {@value}. */
    static final String DEFAULT_URL = "https://transmission.mailtarget.co";
    /** Default connect timeout: {@value} ms. */
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    /** Default read timeout: {@value} ms. */
    static final long DEFAULT_READ_TIMEOUT_MS = 30_000;
    /** Default write timeout: {@value} ms. */
    static final long DEFAULT_WRITE_TIMEOUT_MS = 30_000;
    /** Default largest request: {@value} bytes. */
    static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;
    /** Default number of transmissions sent at once for a per-recipient message: {@value}. */
    static final int DEFAULT_FAN_OUT_CONCURRENCY = 4;
    /**
     * Default number of connections to the API kept open at once: {@value}, RESTEasy's own default, made explicit
     * so that it no longer depends on the implementation and can be raised for more concurrent senders.
     */
    static final int DEFAULT_MAX_CONNECTIONS = 50;

    private static final String API = ConfigKey.PREFIX + "api.";

    /**
     * The longest timeout: {@value} ms. The HTTP client keeps a timeout as an int, and one cut to a negative int means
     * no timeout at all.
     */
    private static final long LONGEST_TIMEOUT_MS = Integer.MAX_VALUE;

    static final ConfigKey<String> KEY = ConfigKey.secret(
                    API + "key",
                    "Mailtarget API key with the \"Send via API\" permission, sent as `Authorization: Bearer <key>`. Read,"
                            + " trimmed and checked (printable ASCII, no spaces) for every request, so a rotated key applies"
                            + " to the next one; never logged.")
            .documentedDefault("— (required)");
    static final ConfigKey<String> URL = ConfigKey.string(
            API + "url",
            DEFAULT_URL,
            "Base URL; the transport posts to `{url}/v1/layang/transmissions`. `mailtarget-api/mp-rest/url` is"
                    + " read when this is not set.");
    static final ConfigKey<Boolean> INSECURE_ALLOW_HTTP = ConfigKey.bool(
            API + "insecure-allow-http", false, "`true` allows a plain `http://` URL: for local test servers only.");
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.millis(
                    API + "connect-timeout-ms",
                    DEFAULT_CONNECT_TIMEOUT_MS,
                    "Connect timeout (a timeout here is `UNAVAILABLE`). `mailtarget-api/mp-rest/connectTimeout` is read when"
                            + " this is not set.")
            .atMost(LONGEST_TIMEOUT_MS);
    static final ConfigKey<Duration> READ_TIMEOUT = ConfigKey.millis(
                    API + "read-timeout-ms",
                    DEFAULT_READ_TIMEOUT_MS,
                    "Time to wait for the response (a timeout here is `UNCERTAIN`: the request was sent)."
                            + " `mailtarget-api/mp-rest/readTimeout` is read when this is not set.")
            .atMost(LONGEST_TIMEOUT_MS);
    static final ConfigKey<Duration> WRITE_TIMEOUT = ConfigKey.millis(
                    API + "write-timeout-ms",
                    DEFAULT_WRITE_TIMEOUT_MS,
                    "Time allowed for writing the request, in total (not a stall limit): an exchange whose reply has not"
                            + " begun within the connect, write and read timeouts together is aborted, `UNAVAILABLE` when the"
                            + " request was not all written (a peer that stopped reading it), `UNCERTAIN` when it was. Raise it"
                            + " where large messages go over a slow link (20 MB at 2 Mbit/s takes 80 s). Holds where the Rest"
                            + " Client is RESTEasy (Open Liberty, WildFly), not on Payara's Jersey.")
            .atMost(LONGEST_TIMEOUT_MS);
    static final ConfigKey<Long> MAX_REQUEST_BYTES = ConfigKey.number(
            API + "max-request-bytes",
            DEFAULT_MAX_REQUEST_BYTES,
            "Largest request in bytes; attachments count 4/3 of their size (base64).");
    static final ConfigKey<Long> FAN_OUT_CONCURRENCY = ConfigKey.number(
                    API + "fan-out-concurrency",
                    DEFAULT_FAN_OUT_CONCURRENCY,
                    "Transmissions in flight at once when a message with per-recipient data goes out as one transmission per"
                            + " recipient.")
            .atMost(Integer.MAX_VALUE);
    static final ConfigKey<Long> MAX_CONNECTIONS = ConfigKey.number(
                    API + "max-connections",
                    DEFAULT_MAX_CONNECTIONS,
                    "Connections to the API in use at once, fan-out included: the transport keeps a Rest Client of one"
                            + " connection for each, reused between sends; a send that finds none free within the connect"
                            + " timeout fails `UNAVAILABLE`.")
            .atMost(Integer.MAX_VALUE);

    /** The API transport's keys, for the configuration reference. */
    static final KeyGroup KEYS = KeyGroup.of(
            "API transport",
            "The API transport is a MicroProfile Rest Client with config key `mailtarget-api`: its standard keys"
                    + " `mailtarget-api/mp-rest/url`, `/connectTimeout` and `/readTimeout` work too; a `mailpath.api.*`"
                    + " key wins when both are set.",
            KEY,
            URL,
            INSECURE_ALLOW_HTTP,
            CONNECT_TIMEOUT,
            READ_TIMEOUT,
            WRITE_TIMEOUT,
            MAX_REQUEST_BYTES,
            FAN_OUT_CONCURRENCY,
            MAX_CONNECTIONS);

    private static final String MP_REST = TransmissionClient.CONFIG_KEY + "/mp-rest/";
    // The Rest Client's standard keys, read when ours are not set.
    private static final ConfigKey<String> STANDARD_URL = ConfigKey.string(MP_REST + "url", MP_REST + "url");
    private static final ConfigKey<Duration> STANDARD_CONNECT_TIMEOUT = ConfigKey.millis(
                    MP_REST + "connectTimeout", MP_REST + "connectTimeout")
            .atMost(LONGEST_TIMEOUT_MS);
    private static final ConfigKey<Duration> STANDARD_READ_TIMEOUT =
            ConfigKey.millis(MP_REST + "readTimeout", MP_REST + "readTimeout").atMost(LONGEST_TIMEOUT_MS);

    final URI url;
    final long connectTimeoutMs;
    final long readTimeoutMs;
    final long writeTimeoutMs;
    final long maxRequestBytes;
    final int fanOutConcurrency;
    final int maxConnections;

    ApiSettings(TransportConfig c) {
        ConfigReader r = c.reader();
        boolean insecure = r.get(INSECURE_ALLOW_HTTP);
        Optional<String> ours = r.optional(URL);
        ConfigKey<String> urlKey = ours.isPresent() ? URL : STANDARD_URL;
        String raw = ours.or(() -> r.optional(STANDARD_URL)).orElse(DEFAULT_URL);
        url = parse(urlKey, raw, insecure);
        connectTimeoutMs = millis(r, CONNECT_TIMEOUT, STANDARD_CONNECT_TIMEOUT);
        readTimeoutMs = millis(r, READ_TIMEOUT, STANDARD_READ_TIMEOUT);
        writeTimeoutMs = r.get(WRITE_TIMEOUT).toMillis();
        maxRequestBytes = r.get(MAX_REQUEST_BYTES);
        fanOutConcurrency = r.get(FAN_OUT_CONCURRENCY).intValue();
        maxConnections = r.get(MAX_CONNECTIONS).intValue();
        apiKey(c);
    }

    /**
     * The API key, read now (it may have been rotated), without leading or trailing white space: secret files and
     * environment variables often end with a newline, which MicroProfile Config keeps. The rest must be printable
     * ASCII without spaces, as an HTTP header value needs; an error names the key, never its value.
     */
    static String apiKey(TransportConfig c) {
        String key = c.reader().required(KEY).strip();
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch <= ' ' || ch >= 0x7f) {
                throw KEY.invalid(
                        "printable ASCII without spaces (a space, a control character or a non-ASCII character is at"
                                + " position " + (i + 1) + " of " + key.length() + ")",
                        key);
            }
        }
        return key;
    }

    /** Our key when it is set, else the Rest Client's standard one, else the default. */
    private static long millis(ConfigReader r, ConfigKey<Duration> ours, ConfigKey<Duration> standard) {
        return r.optional(ours)
                .or(() -> r.optional(standard))
                .orElse(ours.defaultValue())
                .toMillis();
    }

    private static URI parse(ConfigKey<String> key, String raw, boolean insecure) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw key.invalid("a URL", null);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw key.invalid("an https:// URL", null);
        }
        if (scheme.equals("http") && !insecure) {
            throw key.invalid(
                    "an https:// URL: with plain http:// the API key would travel unencrypted (set "
                            + INSECURE_ALLOW_HTTP.name() + "=true for a local test server)",
                    null);
        }
        if (uri.getUserInfo() != null) {
            throw key.invalid("a URL without credentials (set " + KEY.name() + ")", null);
        }
        return uri;
    }

    @Override
    public String toString() {
        return "ApiSettings[" + url + "]";
    }
}
