package io.mailpath.transport.api;

import io.mailpath.Delivery;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.spi.AbstractTransport;
import io.mailpath.spi.PartReceipt;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Sends through Mailtarget's transmission API: one transmission per message, or one per recipient (a few at a time)
 * when it carries per-recipient data. The API key is read from the configuration for every request, so a rotated key
 * applies at once; it never appears in logs, messages or {@code toString()}.
 *
 * <p>Each send has a connection to itself for its exchange ({@link ClientPool}), and a {@link StallWatchdog} breaks an
 * exchange whose reply has not begun within the connect, write and read timeouts: the only bound on a peer that stops
 * reading the request, since the HTTP engines have no write timeout.
 */
final class ApiTransport extends AbstractTransport<Transmission> {
    private static final Logger LOG = Logger.getLogger(ApiTransport.class.getName());
    /** The RESTEasy client builder's connection pool size, set through the Rest Client's {@code resteasy.} prefix. */
    static final String RESTEASY_POOL_SIZE = "resteasy.connectionPoolSize";
    /** RESTEasy's pooled connections per route. */
    static final String RESTEASY_POOL_PER_ROUTE = "resteasy.maxPooledPerRoute";
    /** How long RESTEasy waits for a free pooled connection (a value and its unit); without it, for ever. */
    static final String RESTEASY_POOL_WAIT = "resteasy.connectionCheckoutTimeout";

    private final TransportConfig config;
    private final ApiSettings settings;
    private final TransmissionComposer composer;
    private final ClientPool clients;
    private final SharedJsonb jsonb;
    private final ExchangeTracker tracker = new ExchangeTracker();
    private final StallWatchdog watchdog = new StallWatchdog();
    private final FanOutExecutor fanOut;

    ApiTransport(TransportProvider provider, TransportConfig config) {
        super(provider);
        this.config = config;
        this.settings = new ApiSettings(config);
        this.composer = new TransmissionComposer(settings.maxRequestBytes);
        this.jsonb = new SharedJsonb();
        this.fanOut = new FanOutExecutor(settings.fanOutConcurrency);
        this.clients = new ClientPool(this::buildClient, settings.maxConnections, settings.connectTimeoutMs);
        try {
            // Built now so that a client that cannot be built fails the transport, not its first send.
            clients.giveBack(clients.take());
        } catch (RuntimeException e) {
            clients.close();
            watchdog.close();
            jsonb.close();
            throw e;
        }
    }

    /** A client of one connection: {@link ClientPool} keeps up to max-connections of them. */
    private TransmissionClient buildClient() {
        return RestClientBuilder.newBuilder()
                .baseUri(settings.url)
                .connectTimeout(settings.connectTimeoutMs, TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeoutMs, TimeUnit.MILLISECONDS)
                // A redirect is answered, not followed: the request carries mail and the key, and the host it names
                // was never configured (Jersey, Payara's client, follows by default).
                .followRedirects(false)
                // RESTEasy's own builder settings (standalone, WildFly, Open Liberty); other implementations ignore
                // properties they do not know. One connection a client: its send has it to itself, and closing the
                // client breaks that one exchange only. The pool of clients waits for a free one.
                .property(RESTEASY_POOL_SIZE, 1)
                .property(RESTEASY_POOL_PER_ROUTE, 1)
                .property(RESTEASY_POOL_WAIT, List.of(settings.connectTimeoutMs, TimeUnit.MILLISECONDS))
                .register(jsonb)
                .register(tracker)
                // Streams the attachments; nearer to the entity type than JSON-B's writer, and an application's.
                .register(new TransmissionWriter(), TransmissionWriter.PRIORITY)
                .build(TransmissionClient.class);
    }

    @Override
    protected List<Transmission> compose(Mail mail) {
        return composer.compose(mail);
    }

    /** Everyone the transmission goes to: to, cc and bcc (the composer leaves empty lists out). */
    @Override
    protected List<String> recipients(Transmission t) {
        return Stream.of(t.to(), t.cc(), t.bcc())
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .map(Transmission.Address::email)
                .toList();
    }

    /** One request: waiting for a free connection, connecting, writing, then waiting for the response. */
    @Override
    public Optional<Duration> requestTimeout() {
        return Optional.of(Duration.ofMillis(settings.connectTimeoutMs + exchangeBoundMs()));
    }

    /** How long one exchange may run before its reply begins; the watchdog aborts it then. */
    private long exchangeBoundMs() {
        return settings.connectTimeoutMs + settings.writeTimeoutMs + settings.readTimeoutMs;
    }

    /** Posts one transmission; the receipt carries its id. Every failure leaves as a classified MailException. */
    @Override
    protected PartReceipt deliver(Transmission t) {
        // Which thread posts which message's transmissions (the integration tests read it); no address, no key.
        LOG.fine(() -> "Posting a transmission of "
                + (t.metadata() == null ? "a message" : t.metadata().get(Mail.ID_METADATA_KEY)));
        String key = ApiSettings.apiKey(config);
        TransmissionClient client = clients.take();
        ExchangeTracker.Exchange exchange = tracker.begin();
        // A peer that stops reading the request would hold the write for ever: the watchdog closes the client.
        StallWatchdog.Watch watch = watchdog.watch(
                exchangeBoundMs(),
                () -> exchange.phase() == ExchangeTracker.Phase.RESPONSE_STARTED,
                () -> clients.discard(client));
        Transmission.Result result;
        try {
            result = client.send("Bearer " + key, t);
        } catch (RuntimeException e) {
            if (!exchange.accepted()) {
                MailException failure = ApiFailures.ofFailure(e, exchange.phase(), key);
                throw watch.aborted() ? ApiFailures.ofAbortedExchange(failure, settings.writeTimeoutMs) : failure;
            }
            // The status line said 2xx: the API accepted the transmission (a definitive reply is classified by its
            // code). Only the body, which carries the transmissionId, was lost; calling this uncertain would send a
            // certain duplicate through the next transport.
            LOG.warning("Mailtarget API accepted a transmission (HTTP " + exchange.status()
                    + ") but its reply body could not be read, so its transmissionId is unknown: "
                    + ApiFailures.describe(e, key));
            return PartReceipt.accepted(new Delivery(recipients(t), null, null), exchange.status());
        } finally {
            tracker.end();
            if (watch.finish()) {
                clients.giveBack(client);
            } else {
                clients.discard(client);
            }
        }
        String id = result == null ? null : result.transmissionId();
        if (id == null) {
            LOG.warning("Mailtarget API accepted a transmission (HTTP 200) without returning a transmissionId");
        }
        return PartReceipt.accepted(new Delivery(recipients(t), id, null), 200);
    }

    /**
     * Anything {@link #deliver} let through (it classifies the client's failures itself), so that one transmission's
     * failure never hides the others' deliveries. Nothing is known of the exchange here: classified conservatively.
     */
    @Override
    protected MailException classify(RuntimeException failure) {
        return ApiFailures.ofFailure(failure, ExchangeTracker.Phase.UNKNOWN, null);
    }

    /** The container's managed executor, or the transport's own threads outside a container. */
    @Override
    protected Executor partExecutor() {
        // Closed while this send was starting: deliver on the caller's thread.
        return isClosed() ? null : fanOut;
    }

    @Override
    protected void release() {
        fanOut.close();
        watchdog.close();
        clients.close();
        jsonb.close();
    }

    @Override
    public String toString() {
        return "ApiTransport[" + settings.url + "]";
    }
}
