package io.mailpath.transport.api;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import java.net.URI;
import java.net.URISyntaxException;
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
    /** Default largest request: {@value} bytes. */
    static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;
    /** Default number of transmissions sent at once for a per-recipient message: {@value}. */
    static final int DEFAULT_FAN_OUT_CONCURRENCY = 4;
    /**
     * Default number of connections to the API kept open at once: {@value}, RESTEasy's own default, made explicit
     * so that it no longer depends on the implementation and can be raised for more concurrent senders.
     */
    static final int DEFAULT_MAX_CONNECTIONS = 50;

    // Key names under mailpath.api.
    static final String KEY = "key";
    static final String URL = "url";
    static final String INSECURE_ALLOW_HTTP = "insecure-allow-http";
    static final String CONNECT_TIMEOUT_MS = "connect-timeout-ms";
    static final String READ_TIMEOUT_MS = "read-timeout-ms";
    static final String MAX_REQUEST_BYTES = "max-request-bytes";
    static final String FAN_OUT_CONCURRENCY = "fan-out-concurrency";
    static final String MAX_CONNECTIONS = "max-connections";

    private static final String MP_REST = TransmissionClient.CONFIG_KEY + "/mp-rest/";

    final URI url;
    final long connectTimeoutMs;
    final long readTimeoutMs;
    final long maxRequestBytes;
    final int fanOutConcurrency;
    final int maxConnections;

    ApiSettings(TransportConfig c) {
        boolean insecure = c.get(INSECURE_ALLOW_HTTP, Boolean.class, false);
        String urlKey = c.get(URL).isPresent() ? c.key(URL) : MP_REST + "url";
        String raw = c.get(URL).or(() -> standard(c, "url")).orElse(DEFAULT_URL);
        url = parse(urlKey, raw, insecure, c);
        connectTimeoutMs = millis(c, CONNECT_TIMEOUT_MS, "connectTimeout", DEFAULT_CONNECT_TIMEOUT_MS);
        readTimeoutMs = millis(c, READ_TIMEOUT_MS, "readTimeout", DEFAULT_READ_TIMEOUT_MS);
        maxRequestBytes = c.positive(MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES);
        fanOutConcurrency = (int) c.positive(FAN_OUT_CONCURRENCY, DEFAULT_FAN_OUT_CONCURRENCY);
        maxConnections = (int) c.positive(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS);
        apiKey(c);
    }

    /**
     * The API key, read now (it may have been rotated), without leading or trailing white space: secret files and
     * environment variables often end with a newline, which MicroProfile Config keeps. The rest must be printable
     * ASCII without spaces, as an HTTP header value needs; an error names the key, never its value.
     */
    static String apiKey(TransportConfig c) {
        String key = c.require(KEY).strip();
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch <= ' ' || ch >= 0x7f) {
                throw new MailConfigurationException(c.key(KEY)
                        + " contains a space, a control character or a non-ASCII character (at position " + (i + 1)
                        + " of " + key.length() + "); an API key is printable ASCII");
            }
        }
        return key;
    }

    private static Optional<String> standard(TransportConfig c, String name) {
        return c.config().getOptionalValue(MP_REST + name, String.class).filter(s -> !s.isBlank());
    }

    private static long millis(TransportConfig c, String ours, String standard, long defaultValue) {
        if (c.get(ours).isPresent()) {
            return c.positive(ours, defaultValue);
        }
        Optional<String> value = standard(c, standard);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            long ms = Long.parseLong(value.get().trim());
            if (ms > 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MailConfigurationException(MP_REST + standard + " must be a number of milliseconds greater than 0");
    }

    private static URI parse(String key, String raw, boolean insecure, TransportConfig c) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new MailConfigurationException(key + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new MailConfigurationException(key + " must be an https:// URL");
        }
        if (scheme.equals("http") && !insecure) {
            throw new MailConfigurationException(key + " is a plain http:// URL: the API key would travel unencrypted;"
                    + " use https://, or set " + c.key(INSECURE_ALLOW_HTTP) + "=true for a local test server");
        }
        if (uri.getUserInfo() != null) {
            throw new MailConfigurationException(key + " must not carry credentials; set " + c.key(KEY));
        }
        return uri;
    }

    @Override
    public String toString() {
        return "ApiSettings[" + url + "]";
    }
}
