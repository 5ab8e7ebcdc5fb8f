package io.mailpath.webhooks;

import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mailtarget's webhook endpoint: checks the credentials, reads at most the configured number of bytes, parses the
 * batch and has every new event observed before answering. 200 when every event was delivered (or dropped as a
 * repeat); 401, 400 and 413 for requests Mailtarget should not send again as they are; 500 when an observer threw and
 * 503 when an event is being delivered by another request right now, so that Mailtarget sends the batch again.
 * Nothing of the body is logged but event ids.
 */
final class WebhookServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(WebhookServlet.class.getName());
    /** The most read and discarded of a body too large to keep. */
    private static final int DRAIN_LIMIT = 1024 * 1024;

    private static final String CHALLENGE = "Basic realm=\"mailpath-webhooks\", charset=\"UTF-8\"";

    private final transient WebhookSettings settings;
    private final transient EventDispatcher dispatcher;
    private transient volatile JsonProvider json;
    private transient volatile BatchParser parser;

    WebhookServlet(WebhookSettings settings) {
        this.settings = settings;
        this.dispatcher = new EventDispatcher(settings.dedupeWindow);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!settings.credentials.matches(request.getHeader("Authorization"))) {
            LOG.fine("Mailpath webhooks: refused a request without the configured credentials");
            response.setHeader("WWW-Authenticate", CHALLENGE);
            // Read past the unread body first: a container that finds it unread closes the connection after the
            // answer, and a client that had already reused that connection for its next request gets nothing back.
            if (!drain(request)) {
                response.setHeader("Connection", "close");
            }
            answer(response, HttpServletResponse.SC_UNAUTHORIZED, "{\"error\":\"unauthorized\"}");
            return;
        }
        byte[] body = read(request);
        if (body == null) {
            LOG.warning("Mailpath webhooks: refused a batch larger than " + settings.maxBytes
                    + " bytes (mailpath.webhooks.max-bytes)");
            if (!drain(request)) {
                // Too much is left to read: the connection is not worth keeping.
                response.setHeader("Connection", "close");
            }
            answer(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "{\"error\":\"too large\"}");
            return;
        }
        WebhookBatch batch;
        try {
            batch = parser().parse(body);
        } catch (MalformedBatchException e) {
            LOG.warning("Mailpath webhooks: refused a malformed batch of " + body.length + " bytes: " + e.getMessage());
            answer(
                    response,
                    HttpServletResponse.SC_BAD_REQUEST,
                    json().createObjectBuilder()
                            .add("error", e.getMessage())
                            .build()
                            .toString());
            return;
        }
        if (batch.skipped() > 0) {
            LOG.warning("Mailpath webhooks: passed over " + batch.skipped() + " entries of a batch that were not"
                    + " events");
        }
        EventDispatcher.Outcome outcome;
        try {
            outcome = dispatcher.deliver(batch);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Mailpath webhooks: could not deliver a batch", e);
            answer(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "{\"error\":\"not delivered\"}");
            return;
        }
        String counts = json().createObjectBuilder()
                .add("delivered", outcome.delivered())
                .add("duplicates", outcome.duplicates())
                .add("busy", outcome.busy())
                .add("failed", outcome.failed())
                .build()
                .toString();
        answer(response, status(outcome), counts);
    }

    /** 2xx only once every event of the batch reached the observers; otherwise a status Mailtarget retries. */
    private static int status(EventDispatcher.Outcome outcome) {
        if (outcome.failed() > 0) {
            return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        if (outcome.busy() > 0) {
            return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        }
        return HttpServletResponse.SC_OK;
    }

    /** The body, or {@code null} when it is larger than allowed: counted as it is read, whatever it declared. */
    private byte[] read(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > settings.maxBytes) {
            return null;
        }
        // Grown as bytes arrive, never sized by what the client declared: a declared length costs it nothing to send.
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        // Not closed here: the container owns the stream, and drain() may read on from it.
        InputStream in = request.getInputStream();
        for (int n; (n = in.read(buffer)) != -1; ) {
            if (body.size() + (long) n > settings.maxBytes) {
                return null;
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    /**
     * Reads and discards what is left of a body that will not be used (too large, or sent without the credentials), up
     * to {@value #DRAIN_LIMIT} bytes, so that a client still sending it reads the answer rather than a reset connection.
     *
     * @return whether the body was read to its end
     */
    private static boolean drain(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > DRAIN_LIMIT) {
            return false;
        }
        byte[] buffer = new byte[8192];
        long left = DRAIN_LIMIT;
        InputStream in = request.getInputStream();
        for (int n; (n = in.read(buffer)) != -1; ) {
            left -= n;
            if (left < 0) {
                return false;
            }
        }
        return true;
    }

    /** The JSON-P provider the application sees, looked up on first use. */
    private JsonProvider json() {
        JsonProvider j = json;
        if (j == null) {
            j = JsonProvider.provider();
            json = j;
        }
        return j;
    }

    private BatchParser parser() {
        BatchParser p = parser;
        if (p == null) {
            p = new BatchParser(json());
            parser = p;
        }
        return p;
    }

    private static void answer(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
