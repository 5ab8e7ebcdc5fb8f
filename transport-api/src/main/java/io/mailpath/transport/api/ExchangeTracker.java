package io.mailpath.transport.api;

import io.mailpath.MailException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;

/**
 * Follows how far one request got, for {@link ApiFailures}: registered on the Rest Client as a request filter, a
 * writer interceptor and a response filter, it marks the exchange that {@link #begin()} opened on the calling thread.
 *
 * <p>What it can and cannot see: the request filter runs before anything is sent; the writer interceptor's
 * {@code proceed()} returns once the body was handed to the HTTP engine, which may have put it on the wire or only in
 * a buffer (RESTEasy's Apache engine buffers the whole body before it even connects, {@code HttpURLConnection}
 * buffers it too unless streaming); the response filter runs once a status line and headers were read, and keeps the
 * status, before the body is read. So "the body
 * was handed over" is necessary but not sufficient for "the body was written"; {@link ApiFailures} decides that last
 * step from the I/O failure itself.
 *
 * <p>A synchronous Rest Client call runs its filters on the caller's thread, so a thread-local exchange is enough.
 * When the filters run elsewhere, the exchange stays {@link Phase#UNKNOWN}, which is classified conservatively.
 */
final class ExchangeTracker implements ClientRequestFilter, WriterInterceptor, ClientResponseFilter {
    /** How far a request got, as far as the Rest Client's extension points show. */
    enum Phase {
        /** Nothing seen: no evidence either way. */
        UNKNOWN,
        /** The request was started, its body not yet handed to the HTTP engine: nothing left this process. */
        STARTED,
        /** The body was handed to the HTTP engine: on the wire, or in the engine's buffer. */
        BODY_HANDED_OVER,
        /** A status line and headers were read. */
        RESPONSE_STARTED
    }

    /** One exchange, marked by the providers on the calling thread. */
    static final class Exchange {
        private volatile Phase phase = Phase.UNKNOWN;
        private volatile int status = MailException.NO_STATUS;

        Phase phase() {
            return phase;
        }

        /** The status line's code once {@link Phase#RESPONSE_STARTED} was reached; before, {@link MailException#NO_STATUS}. */
        int status() {
            return status;
        }

        /**
         * Whether the API's status line said it accepted the request (2xx): a definitive reply, whatever then happens
         * to the body.
         */
        boolean accepted() {
            return phase == Phase.RESPONSE_STARTED && status >= 200 && status < 300;
        }

        private void reached(Phase p) {
            if (p.compareTo(phase) > 0) {
                phase = p;
            }
        }
    }

    private final ThreadLocal<Exchange> current = new ThreadLocal<>();

    /** Opens an exchange on this thread; {@link #end()} closes it. */
    Exchange begin() {
        Exchange x = new Exchange();
        current.set(x);
        return x;
    }

    /** Closes this thread's exchange. */
    void end() {
        current.remove();
    }

    private void reached(Phase p) {
        Exchange x = current.get();
        if (x != null) {
            x.reached(p);
        }
    }

    private void answered(int status) {
        Exchange x = current.get();
        if (x != null) {
            x.status = status;
            x.reached(Phase.RESPONSE_STARTED);
        }
    }

    @Override
    public void filter(ClientRequestContext request) {
        reached(Phase.STARTED);
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        context.proceed();
        // Only once proceed() returned normally: a failure while writing leaves the exchange at STARTED.
        reached(Phase.BODY_HANDED_OVER);
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        answered(response.getStatus());
    }
}
