package io.mailpath.mailtarget;

import io.mailpath.Delivery;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.spi.AbstractTransport;
import io.mailpath.spi.PartReceipt;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Sends through Mailtarget's transmission API: one transmission per message, or one per recipient (a few at a time)
 * when it carries per-recipient data. The API key is read from the configuration for every request, so a rotated key
 * applies at once; it never appears in logs, messages or {@code toString()}.
 */
final class ApiTransport extends AbstractTransport<Transmission> {
    private static final Logger LOG = Logger.getLogger(ApiTransport.class.getName());

    private final TransportConfig config;
    private final ApiSettings settings;
    private final TransmissionComposer composer;
    private final TransmissionClient client;
    private final Object fanOutLock = new Object();
    private ExecutorService fanOut;

    ApiTransport(TransportProvider provider, TransportConfig config) {
        super(provider);
        this.config = config;
        this.settings = new ApiSettings(config);
        this.composer = new TransmissionComposer(settings.maxRequestBytes);
        this.client = RestClientBuilder.newBuilder()
                .baseUri(settings.url)
                .connectTimeout(settings.connectTimeoutMs, TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeoutMs, TimeUnit.MILLISECONDS)
                .build(TransmissionClient.class);
    }

    @Override
    protected List<Transmission> compose(Mail mail) {
        return composer.compose(mail);
    }

    @Override
    protected List<String> recipients(Transmission t) {
        return t.to().stream().map(Transmission.Address::email).toList();
    }

    /** Posts one transmission; the receipt carries its id. */
    @Override
    protected PartReceipt deliver(Transmission t) {
        String bearer = "Bearer " + config.require(ApiSettings.KEY);
        Transmission.Result result = client.send(bearer, t);
        String id = result == null ? null : result.transmissionId();
        if (id == null) {
            LOG.warning("Mailtarget API accepted a transmission (HTTP 200) without returning a transmissionId");
        }
        return PartReceipt.accepted(new Delivery(recipients(t), id, null), 200);
    }

    /**
     * What the Rest Client throws when no HTTP response came back (HTTP errors come through the error mapper), and
     * anything else a request let through, so that one transmission's failure never hides the others' deliveries.
     */
    @Override
    protected MailException classify(RuntimeException failure) {
        return classify((Throwable) failure);
    }

    @Override
    protected Executor partExecutor() {
        synchronized (fanOutLock) {
            if (isClosed()) {
                // Closed while this send was starting: deliver on the caller's thread rather than start a pool
                // that nothing would stop.
                return null;
            }
            if (fanOut == null) {
                AtomicInteger n = new AtomicInteger();
                fanOut = Executors.newFixedThreadPool(settings.fanOutConcurrency, r -> {
                    Thread thread = new Thread(r, "mailpath-api-fan-out-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return fanOut;
        }
    }

    /**
     * Classifies a failure without an HTTP response: refused, reset, unknown host, TLS, or a timeout while connecting
     * → unavailable; a timeout while waiting for the response (the request was sent) → uncertain.
     */
    static MailException classify(Throwable e) {
        String name = ApiTransportProvider.NAME;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MailException me) {
                return me;
            }
            String type = t.getClass().getName();
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException) {
                return new MailUnavailableException(
                        "Mailtarget API cannot be reached: " + t, name, MailException.NO_STATUS, null, e);
            }
            if (t instanceof SSLException) {
                return new MailUnavailableException(
                        "TLS with the Mailtarget API failed: " + t.getMessage(),
                        name,
                        MailException.NO_STATUS,
                        null,
                        e);
            }
            if (type.contains("ConnectTimeout")
                    || (t instanceof SocketTimeoutException && message.contains("connect"))) {
                return new MailUnavailableException(
                        "Connecting to the Mailtarget API timed out", name, MailException.NO_STATUS, null, e);
            }
            if (t instanceof SocketTimeoutException
                    || t instanceof InterruptedIOException
                    || type.endsWith("HttpTimeoutException")) {
                return new MailUncertainException(
                        "No response from the Mailtarget API within the read timeout; the transmission was sent and"
                                + " may have been accepted",
                        name,
                        MailException.NO_STATUS,
                        null,
                        e);
            }
        }
        return new MailUnavailableException(
                "Mailtarget API request failed: " + rootMessage(e), name, MailException.NO_STATUS, null, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    @Override
    protected void release() {
        synchronized (fanOutLock) {
            if (fanOut != null) {
                fanOut.shutdown();
            }
        }
        if (client instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing the REST client failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "ApiTransport[" + settings.url + "]";
    }
}
