package io.mailpath.mailtarget;

import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.Transport;
import io.mailpath.spi.TransportConfig;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Sends through Mailtarget's transmission API. The API key is read from the configuration for every request, so a
 * rotated key applies at once; it never appears in logs, messages or {@code toString()}.
 */
public final class ApiTransport implements Transport {
    private static final Logger LOG = Logger.getLogger(ApiTransport.class.getName());
    static final Set<Capability> CAPABILITIES = EnumSet.allOf(Capability.class);

    private final TransportConfig config;
    private final ApiSettings settings;
    private final TransmissionComposer composer;
    private final TransmissionClient client;
    private final Object fanOutLock = new Object();
    private ExecutorService fanOut;
    private volatile boolean closed;

    ApiTransport(TransportConfig config) {
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
    public String name() {
        return ApiTransportProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public SendReceipt send(Mail mail) {
        if (closed) {
            throw new MailUnavailableException(
                    "The API transport is closed", name(), MailException.NO_STATUS, null, null);
        }
        long start = System.nanoTime();
        List<Transmission> requests = composer.compose(mail);
        List<Delivery> deliveries = new ArrayList<>();
        List<RejectedRecipient> rejected = new ArrayList<>();
        if (requests.size() == 1) {
            Transmission t = requests.get(0);
            deliveries.add(delivery(t, post(t)));
        } else {
            MailException first = fanOut(requests, deliveries, rejected);
            if (deliveries.isEmpty()) {
                throw first;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.log(
                Level.FINE,
                () -> "Sent " + mail.id() + " through the Mailtarget API as " + deliveries.size()
                        + " transmission(s) in " + took.toMillis() + " ms");
        return SendReceipt.delivered(name(), mail.id(), deliveries, rejected, 200, took);
    }

    /** Sends per-recipient transmissions a few at a time; returns the first failure (an uncertain one first), if any. */
    private MailException fanOut(
            List<Transmission> requests, List<Delivery> deliveries, List<RejectedRecipient> rejected) {
        ExecutorService executor = fanOutExecutor();
        List<CompletableFuture<String>> futures = new ArrayList<>(requests.size());
        for (Transmission t : requests) {
            futures.add(CompletableFuture.supplyAsync(() -> post(t), executor));
        }
        MailException first = null;
        for (int i = 0; i < requests.size(); i++) {
            Transmission t = requests.get(i);
            try {
                deliveries.add(delivery(t, futures.get(i).join()));
            } catch (CompletionException e) {
                MailException failure = e.getCause() instanceof MailException me ? me : classify(e.getCause());
                // An uncertain outcome wins: the caller must not take the message for undelivered.
                if (first == null
                        || (failure.kind() == FailureKind.UNCERTAIN && first.kind() != FailureKind.UNCERTAIN)) {
                    first = failure;
                }
                for (Transmission.Address a : t.to()) {
                    rejected.add(RejectedRecipient.failed(a.email(), failure));
                }
            }
        }
        return first;
    }

    private ExecutorService fanOutExecutor() {
        synchronized (fanOutLock) {
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

    private static Delivery delivery(Transmission t, String transmissionId) {
        return new Delivery(t.to().stream().map(Transmission.Address::email).toList(), transmissionId, null);
    }

    /** Posts one transmission and returns its id. */
    private String post(Transmission t) {
        String bearer = "Bearer " + config.require("key");
        Transmission.Result result;
        try {
            result = client.send(bearer, t);
        } catch (MailException e) {
            throw e;
        } catch (ProcessingException | WebApplicationException e) {
            throw classify(e);
        }
        if (result == null || result.transmissionId() == null) {
            LOG.warning("Mailtarget API accepted a transmission (HTTP 200) without returning a transmissionId");
            return null;
        }
        return result.transmissionId();
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
    public void close() {
        closed = true;
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
