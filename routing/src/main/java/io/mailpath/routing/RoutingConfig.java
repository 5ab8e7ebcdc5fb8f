package io.mailpath.routing;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** The routing keys: which transports, in which order, and when to fail over. Read on every send. */
public final class RoutingConfig {
    /**
     * The transports to try, in order; default: every transport on the class path with a priority of 0 or more,
     * highest first (a negative priority, such as the test kit's in-memory transports, is used only when named).
     */
    public static final String TRANSPORTS = ConfigKey.PREFIX + "transports";
    /** Whether an authentication failure fails over to the next transport: {@value #DEFAULT_ON_AUTHENTICATION}. */
    public static final String ON_AUTHENTICATION = ConfigKey.PREFIX + "failover.on-authentication";
    /** Whether an uncertain outcome fails over (marking a possible duplicate): {@value #DEFAULT_ON_UNCERTAIN}. */
    public static final String ON_UNCERTAIN = ConfigKey.PREFIX + "failover.on-uncertain";
    /** The longest {@code Retry-After} waited for before trying the primary again: {@value #DEFAULT_MAX_WAIT_MS} ms. */
    public static final String RATE_LIMIT_MAX_WAIT = ConfigKey.PREFIX + "failover.rate-limit-max-wait-ms";

    /** The named streams, besides the unnamed one. */
    public static final String STREAMS = ConfigKey.PREFIX + "streams";
    /** The domains a stream's From address may have; by default any. */
    public static final String FROM_DOMAINS = ConfigKey.PREFIX + "from-domains";

    static final boolean DEFAULT_ON_AUTHENTICATION = false;
    static final boolean DEFAULT_ON_UNCERTAIN = true;
    static final long DEFAULT_MAX_WAIT_MS = 5_000;

    /** {@value #TRANSPORTS}. */
    public static final ConfigKey<List<String>> TRANSPORTS_KEY = ConfigKey.list(
                    TRANSPORTS,
                    "The transports to try, in order, comma-separated. A transport with a negative priority, such as"
                            + " the test kit's in-memory ones, is used only when named here.")
            .documentedDefault(
                    "every transport on the class path with a priority of 0 or more, highest first" + " (`api,smtp`)");
    /** {@value #ON_AUTHENTICATION}. */
    public static final ConfigKey<Boolean> ON_AUTHENTICATION_KEY = ConfigKey.bool(
            ON_AUTHENTICATION,
            DEFAULT_ON_AUTHENTICATION,
            "Whether a transport that refuses the credentials fails over to the next one.");
    /** {@value #ON_UNCERTAIN}. */
    public static final ConfigKey<Boolean> ON_UNCERTAIN_KEY = ConfigKey.bool(
            ON_UNCERTAIN,
            DEFAULT_ON_UNCERTAIN,
            "Whether a transport that may have accepted the message fails over to the next one; the receipt then"
                    + " says `possibleDuplicate`.");
    /** {@value #RATE_LIMIT_MAX_WAIT}. */
    public static final ConfigKey<Duration> RATE_LIMIT_MAX_WAIT_KEY = ConfigKey.millis(
                    RATE_LIMIT_MAX_WAIT,
                    DEFAULT_MAX_WAIT_MS,
                    "The longest `Retry-After` of a rate-limited primary waited for before it is tried once more;"
                            + " a longer one fails over at once.")
            .atLeast(0);

    /** {@value #STREAMS}. */
    public static final ConfigKey<List<String>> STREAMS_KEY = ConfigKey.list(
                    STREAMS,
                    "The named streams, comma-separated, each injected as `@MailStream(\"<name>\") MailTransport`"
                            + " and configured under `mailpath.stream.<name>.`: a key of the sections Routing and"
                            + " failover, Streams, API transport and SMTP transport written there"
                            + " (`mailpath.stream.marketing.api.key`) holds for that stream only, and a key not written"
                            + " there is shared with the unnamed stream. A name is a lower-case letter, then"
                            + " up to 31 lower-case letters, digits or `-`; `default` is the unnamed stream's.")
            .documentedDefault("none: only the unnamed stream");
    /** {@value #FROM_DOMAINS}. */
    public static final ConfigKey<List<String>> FROM_DOMAINS_KEY = ConfigKey.list(
                    FROM_DOMAINS,
                    "The domains a stream sends from, comma-separated: a message whose From address has another"
                            + " domain, a subdomain of a listed one included, is refused with"
                            + " `SendingDomainException` at send and at enqueue. Set it per stream (`mailpath.stream.marketing.from-domains`) to keep each"
                            + " stream on its own domain.")
            .documentedDefault("any domain");

    /** How many {@code sendAsync} sends of one stream run at once, when there are named streams. */
    public static final String ASYNC_CONCURRENCY = ConfigKey.PREFIX + "async.max-concurrency";

    /** {@value #ASYNC_CONCURRENCY}. */
    public static final ConfigKey<Long> ASYNC_CONCURRENCY_KEY = ConfigKey.number(
                    ASYNC_CONCURRENCY,
                    32,
                    "How many `sendAsync` sends of one named stream run on the container's shared Fault Tolerance"
                            + " pool at once; the stream's other asynchronous sends wait in its own queue, so that one"
                            + " stream's slow sends never hold the threads another stream's mail needs. Set it per"
                            + " stream; keep the sum below the pool's size. The unnamed stream's sends have no such"
                            + " queue, as before streams.")
            .atLeast(1)
            .atMost(10_000);

    /** The streams' keys, for the configuration reference. */
    public static final KeyGroup STREAM_KEYS = KeyGroup.of(
            "Streams",
            "Named streams: separate sending configurations, each with its own transports, keys, domains, failover"
                    + " settings and circuit breaker.",
            STREAMS_KEY,
            FROM_DOMAINS_KEY,
            ASYNC_CONCURRENCY_KEY);

    /** The routing's keys, for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Routing and failover",
            "Which transports the routed `MailTransport` tries, in which order, and which failures fail over.",
            TRANSPORTS_KEY,
            ON_AUTHENTICATION_KEY,
            ON_UNCERTAIN_KEY,
            RATE_LIMIT_MAX_WAIT_KEY);

    private final ConfigReader reader;

    /** The transports on the class path, found once: they do not change while the application runs. */
    private volatile List<TransportProvider> available;

    RoutingConfig(ConfigReader reader) {
        this.reader = reader;
    }

    /** The reader of this stream's keys. */
    ConfigReader reader() {
        return reader;
    }

    /**
     * The named streams of {@value #STREAMS}.
     *
     * @throws MailConfigurationException naming the key when a name is not valid or is listed twice
     */
    List<String> streams() {
        List<String> names = reader.optional(STREAMS_KEY).orElse(List.of());
        for (String name : names) {
            if (!MailStream.NAME.matcher(name).matches() || name.equals(MailStream.DEFAULT)) {
                throw STREAMS_KEY.invalid(
                        "stream names, each a lower-case letter then up to 31 lower-case letters, digits or '-',"
                                + " not 'default'",
                        reader.text(STREAMS).orElse(""));
            }
        }
        return names;
    }

    /** {@value #ASYNC_CONCURRENCY}, this stream's. */
    int asyncConcurrency() {
        return reader.get(ASYNC_CONCURRENCY_KEY).intValue();
    }

    /**
     * The sending domains of {@value #FROM_DOMAINS}, each as the guard compares it ({@link StreamRoute#comparable});
     * empty when any domain may send.
     */
    List<String> fromDomains() {
        return reader.optional(FROM_DOMAINS_KEY).orElse(List.of()).stream()
                .map(StreamRoute::comparable)
                .toList();
    }

    /**
     * The circuit of a named stream's primary: the values of {@link PrimaryPath#send}'s {@code @CircuitBreaker}, as
     * its keys set them; empty when that circuit breaker is switched off.
     */
    Optional<StreamCircuit.Settings> streamCircuit() {
        FaultToleranceConfig ft = FaultToleranceConfig.of(reader, PrimaryPath.class);
        Optional<CircuitBreaker> annotated = ft.annotation(CircuitBreaker.class);
        if (annotated.isEmpty()) {
            return Optional.empty();
        }
        CircuitBreaker cb = annotated.get();
        return Optional.of(new StreamCircuit.Settings(
                (int) Math.min(
                        Integer.MAX_VALUE,
                        ft.number(CircuitBreaker.class, "requestVolumeThreshold")
                                .orElse((long) cb.requestVolumeThreshold())),
                ft.decimal(CircuitBreaker.class, "failureRatio").orElse(cb.failureRatio()),
                circuitBreakerDelay().orElseThrow(),
                (int) Math.min(
                        Integer.MAX_VALUE,
                        ft.number(CircuitBreaker.class, "successThreshold").orElse((long) cb.successThreshold()))));
    }

    /**
     * The transports to try, in order.
     *
     * @throws MailConfigurationException naming the key when a name is unknown or the list is empty
     */
    public List<String> order() {
        List<TransportProvider> available = available();
        Optional<List<String>> configured = reader.optional(TRANSPORTS_KEY);
        if (configured.isEmpty()) {
            List<String> byDefault = available.stream()
                    .filter(p -> p.priority() >= 0)
                    .map(TransportProvider::name)
                    .toList();
            if (byDefault.isEmpty()) {
                throw new MailConfigurationException(Transports.noneFound());
            }
            return byDefault;
        }
        List<String> names = configured.get();
        if (names.isEmpty()) {
            throw TRANSPORTS_KEY.invalid(
                    "a comma-separated list of transport names",
                    reader.text(TRANSPORTS).orElse(""));
        }
        for (String name : names) {
            if (available.stream().noneMatch(p -> p.name().equals(name))) {
                throw new MailConfigurationException(
                        reader.keyFor(TRANSPORTS) + " names '" + name + "': " + Transports.missing(name));
            }
        }
        return names;
    }

    private List<TransportProvider> available() {
        List<TransportProvider> providers = available;
        if (providers == null) {
            providers = Transports.providers();
            available = providers;
        }
        return providers;
    }

    /** The failover decision, from the three {@code mailpath.failover.*} keys as they are now. */
    FailoverPolicy failoverPolicy() {
        return new FailoverPolicy(failoverOnAuthentication(), failoverOnUncertain(), rateLimitMaxWait());
    }

    public boolean failoverOnAuthentication() {
        return reader.get(ON_AUTHENTICATION_KEY);
    }

    public boolean failoverOnUncertain() {
        return reader.get(ON_UNCERTAIN_KEY);
    }

    public Duration rateLimitMaxWait() {
        return reader.get(RATE_LIMIT_MAX_WAIT_KEY);
    }

    /**
     * The Fault Tolerance timeout of a guarded path as MicroProfile Fault Tolerance reads it: the method's key, then the
     * class's, then the global one, else the annotation's value; empty when timeouts are switched off.
     */
    Optional<Duration> faultToleranceTimeout(Class<?> path, String method, long annotatedMillis) {
        return faultToleranceDuration(path, method, Timeout.class, "value", "unit", annotatedMillis);
    }

    /**
     * How long the primary's circuit breaker stays open before it lets a trial call through, as MicroProfile Fault
     * Tolerance reads it from {@code io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay} and
     * {@code delayUnit} (or the class's or the global keys); empty when the circuit breaker is switched off.
     */
    public Optional<Duration> circuitBreakerDelay() {
        return faultToleranceDuration(
                PrimaryPath.class, "send", CircuitBreaker.class, "delay", "delayUnit", PrimaryPath.CIRCUIT_DELAY_MS);
    }

    /** One duration of one Fault Tolerance annotation on a guarded path's {@code send}, by MP FT's order of keys. */
    private Optional<Duration> faultToleranceDuration(
            Class<?> path,
            String method,
            Class<? extends Annotation> annotation,
            String valueKey,
            String unitKey,
            long annotatedMillis) {
        FaultToleranceConfig ft = FaultToleranceConfig.of(reader, path, method);
        if (!ft.enabled(annotation)) {
            return Optional.empty();
        }
        return Optional.of(ft.duration(annotation, valueKey, annotatedMillis, unitKey, ChronoUnit.MILLIS));
    }
}
