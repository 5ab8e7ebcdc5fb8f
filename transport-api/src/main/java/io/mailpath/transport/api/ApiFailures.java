package io.mailpath.transport.api;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.transport.api.ExchangeTracker.Phase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Every classification of the API transport's failures, in one place: by protocol phase first, then by status.
 *
 * <table>
 *   <caption>How a failure is classified</caption>
 *   <tr><th>what happened</th><th>kind</th></tr>
 *   <tr><td>connect refused, unknown host, no route, TLS handshake failed, connect timed out, no pooled connection
 *       free in time</td>
 *       <td>unavailable</td></tr>
 *   <tr><td>failed before or while the request body was written, also when the watchdog aborted a write the peer
 *       stopped reading ({@code mailpath.api.write-timeout-ms})</td><td>unavailable</td></tr>
 *   <tr><td>an attachment could not be read while the body was written ({@link UnreadableAttachmentException})</td>
 *       <td>rejected</td></tr>
 *   <tr><td>the body was written, then a timeout, reset, end of stream, empty, malformed or unreadable reply</td>
 *       <td>uncertain</td></tr>
 *   <tr><td>HTTP 502, 504 (a gateway: the API may have accepted the request)</td><td>uncertain</td></tr>
 *   <tr><td>HTTP 401, 403</td><td>authentication</td></tr>
 *   <tr><td>HTTP 420 (Mailtarget's sending limit), 429</td><td>rate limited</td></tr>
 *   <tr><td>HTTP 408, 500, 503, any other 5xx</td><td>unavailable</td></tr>
 *   <tr><td>HTTP 400, 413, 415, 422, any other 4xx</td><td>rejected</td></tr>
 *   <tr><td>HTTP 3xx (a redirect; never followed)</td><td>unavailable</td></tr>
 * </table>
 *
 * <p>A redirect is a definitive reply: the API at the configured URL did not take the transmission. Following it would
 * send the mail and the key to a host nobody configured, so the reply stands: unavailable with its own status, which
 * lets another path carry the message while the log says {@code mailpath.api.url} is wrong.
 *
 * <p>A 2xx status line is a definitive acceptance: when the body after it cannot be read (cut, reset, malformed), the
 * send succeeded with an unknown transmissionId ({@code ApiTransport} decides that before this class is asked).
 *
 * <p>408 is unavailable: the server says it stopped waiting for the rest of the request, so by its own account it
 * did not get all of it and processed nothing.
 *
 * <p>No status is ever made up: a failure without a reply has {@link MailException#NO_STATUS}. Text copied from a
 * cause never carries the API key: it is replaced, and a cause that quotes it is not attached at all.
 */
final class ApiFailures {
    private static final String NAME = ApiTransportProvider.NAME;
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");

    private ApiFailures() {}

    /** Classifies an HTTP error or redirect reply (status 300 and above) by its status. */
    static MailException ofStatus(int status, String message, String code, Duration retryAfter) {
        if (status < 400) {
            return new MailUnavailableException(
                    message + " (a redirect: the API did not take the transmission at this URL and Mailpath does not"
                            + " follow it; set mailpath.api.url to the API's own address)",
                    NAME,
                    status,
                    code,
                    null);
        }
        if (status == 401 || status == 403) {
            return new MailAuthenticationException(message, NAME, status, code, null);
        }
        if (status == MailtargetErrorMapper.SENDING_LIMIT) {
            return new MailRateLimitedException(message + " (sending limit reached)", NAME, status, code, null, null);
        }
        if (status == 429) {
            return new MailRateLimitedException(message, NAME, status, code, retryAfter, null);
        }
        if (status == 502 || status == 504) {
            return new MailUncertainException(
                    message + " (from a gateway in front of the API, after the whole request was sent: the API may"
                            + " have accepted the transmission)",
                    NAME,
                    status,
                    code,
                    null);
        }
        if (status == 408 || status >= 500) {
            return new MailUnavailableException(message, NAME, status, code, null);
        }
        return new MailRejectedException(message, NAME, status, code, null);
    }

    /**
     * Classifies a failure without an HTTP error reply: by how far the exchange got, and, between "the body was
     * handed to the HTTP engine" and "a reply started", by where the I/O failed.
     *
     * <p>Why this way: the Rest Client does not say whether the body reached the socket. Its writer interceptor only
     * shows that the body was handed to the engine, which may buffer all of it and connect afterwards. What does tell
     * is the failure itself: a failed connect or TLS handshake has its own exception types, and an I/O exception
     * raised by a socket write (or the engine's "send the request" step) is on the stack of that write, while one
     * raised waiting for or reading the reply is on the stack of a read. When neither shows, the failure counts as
     * uncertain: a message that may have gone must never be reported as not sent.
     *
     * @param key the API key in use, to be kept out of every text; may be null
     */
    static MailException ofFailure(Throwable failure, Phase phase, String key) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof MailException me) {
                return me;
            }
        }
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof UnreadableAttachmentException u) {
                return new MailRejectedException(
                        "Attachment '" + u.filename() + "' cannot be read; the request was not completed: "
                                + describe(u, key),
                        NAME,
                        MailException.NO_STATUS,
                        null,
                        safeCause(u, key));
            }
        }
        IOException io = innermostIo(failure);
        if (isConnectTimeout(failure)) {
            return new MailUnavailableException(
                    "Connecting to the Mailtarget API timed out",
                    NAME,
                    MailException.NO_STATUS,
                    null,
                    safeCause(failure, key));
        }
        if (isConnectFailure(failure)) {
            return unavailable("Mailtarget API cannot be reached", failure, key);
        }
        switch (phase) {
            case STARTED:
                return unavailable("Mailtarget API request failed before its body was sent", failure, key);
            case RESPONSE_STARTED:
                return uncertain(
                        "Mailtarget API reply could not be read after the whole request was sent", failure, key);
            default:
                break;
        }
        if (io == null) {
            if (phase == Phase.BODY_HANDED_OVER
                    && (hasInChain(failure, IllegalArgumentException.class)
                            || hasInChain(failure, IllegalStateException.class))
                    && !hasInChain(failure, TimeoutException.class)) {
                // Raised by the client itself before any I/O (a header value it refuses, a closed connection pool).
                return unavailable("Mailtarget API request could not be sent", failure, key);
            }
            return uncertain("Mailtarget API request failed after it was handed to the HTTP client", failure, key);
        }
        switch (ioStep(io)) {
            case WRITE:
                return unavailable("Connection lost while sending the request to the Mailtarget API", failure, key);
            case CONNECT:
                return unavailable("Mailtarget API cannot be reached", failure, key);
            default:
                if (io instanceof SocketTimeoutException) {
                    return uncertain(
                            "No response from the Mailtarget API within the read timeout; the transmission was sent"
                                    + " and may have been accepted",
                            failure,
                            key);
                }
                return uncertain(
                        "Connection lost after the whole request was sent to the Mailtarget API, before a complete"
                                + " reply; the transmission may have been accepted",
                        failure,
                        key);
        }
    }

    /**
     * No connection was free for a send ({@link ClientPool}): this request never left.
     *
     * @param why what kept it from one: every connection in use, an interrupt, the transport closed
     */
    static MailException noConnection(String why) {
        return new MailUnavailableException(
                "No connection to the Mailtarget API for this send: " + why, NAME, MailException.NO_STATUS, null, null);
    }

    /**
     * A failure of an exchange the watchdog aborted, its reply not begun within the connect, write and read timeouts.
     * Its kind stays what {@link #ofFailure} found from where the aborted I/O stood: a write cut short is unavailable
     * (the peer stopped reading the request, so it cannot have taken it); a wait for the reply is uncertain. The text
     * says why the exchange ended. A failure that carries a reply's status is the API's answer, and is kept as it is.
     */
    static MailException ofAbortedExchange(MailException classified, long writeTimeoutMs) {
        if (classified.status() != MailException.NO_STATUS) {
            // The reply began as the watchdog fired: the API's own answer stands, with its status.
            return classified;
        }
        if (classified instanceof MailUnavailableException) {
            return new MailUnavailableException(
                    "The Mailtarget API stopped taking the request: it was not all written within "
                            + ApiSettings.WRITE_TIMEOUT.name() + " (" + writeTimeoutMs
                            + " ms), and the exchange was aborted before the request was complete. "
                            + classified.getMessage(),
                    NAME,
                    MailException.NO_STATUS,
                    null,
                    classified.getCause());
        }
        if (classified instanceof MailUncertainException) {
            return new MailUncertainException(
                    "No reply from the Mailtarget API within the connect, write and read timeouts; the exchange was"
                            + " aborted after the request was sent. " + classified.getMessage(),
                    NAME,
                    MailException.NO_STATUS,
                    null,
                    classified.getCause());
        }
        return classified;
    }

    private static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    || t instanceof PortUnreachableException
                    || t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            // Apache HttpClient's ConnectTimeoutException, and the JDK's "Connect timed out".
            if (t.getClass().getSimpleName().contains("ConnectTimeout")
                    || (t instanceof SocketTimeoutException
                            && String.valueOf(t.getMessage())
                                    .toLowerCase(Locale.ROOT)
                                    .contains("connect"))) {
                return true;
            }
        }
        return false;
    }

    /** Where an I/O exception was raised, read from its stack: the innermost frame that says. */
    enum IoStep {
        CONNECT,
        WRITE,
        READ,
        UNKNOWN
    }

    static IoStep ioStep(IOException io) {
        for (StackTraceElement frame : io.getStackTrace()) {
            String m = frame.getMethodName().toLowerCase(Locale.ROOT);
            if (m.equals("connect") || m.equals("connectsocket") || m.contains("handshake") || m.equals("upgrade")) {
                return IoStep.CONNECT;
            }
            if (m.contains("write") || m.startsWith("sendrequest")) {
                return IoStep.WRITE;
            }
            if (m.contains("read")
                    || m.startsWith("parse")
                    || m.startsWith("fill")
                    || m.startsWith("receiveresponse")
                    || m.startsWith("getinputstream")) {
                return IoStep.READ;
            }
        }
        return IoStep.UNKNOWN;
    }

    private static IOException innermostIo(Throwable failure) {
        IOException found = null;
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof IOException e) {
                found = e;
            }
        }
        return found;
    }

    private static boolean hasInChain(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }

    private static MailException unavailable(String summary, Throwable failure, String key) {
        return new MailUnavailableException(
                summary + ": " + describe(failure, key), NAME, MailException.NO_STATUS, null, safeCause(failure, key));
    }

    private static MailException uncertain(String summary, Throwable failure, String key) {
        return new MailUncertainException(
                summary + ": " + describe(failure, key), NAME, MailException.NO_STATUS, null, safeCause(failure, key));
    }

    /** The innermost cause's type and message, with the key (and any bearer token) replaced. */
    static String describe(Throwable failure, String key) {
        Throwable root = failure;
        while (next(root) != null) {
            root = next(root);
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + scrub(message, key));
    }

    /** Text with the API key and any bearer token replaced. */
    static String scrub(String text, String key) {
        if (text == null) {
            return null;
        }
        String s = text;
        if (key != null && !key.isBlank()) {
            s = s.replace(key, "***");
            String trimmed = key.trim();
            if (!trimmed.isEmpty()) {
                s = s.replace(trimmed, "***");
            }
        }
        return BEARER.matcher(s).replaceAll("Bearer ***");
    }

    /**
     * The failure, to attach as the cause; null when any exception in its chain quotes the key or a bearer token,
     * since a cause's own message travels with it into logs and {@code toString()}.
     */
    static Throwable safeCause(Throwable failure, String key) {
        for (Throwable t = failure; t != null; t = next(t)) {
            String text = String.valueOf(t.getMessage());
            if (!scrub(text, key).equals(text)) {
                return null;
            }
            for (Throwable s : t.getSuppressed()) {
                String st = String.valueOf(s.getMessage());
                if (!scrub(st, key).equals(st)) {
                    return null;
                }
            }
        }
        return failure;
    }
}
