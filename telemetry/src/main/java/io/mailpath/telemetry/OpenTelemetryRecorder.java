package io.mailpath.telemetry;

import static io.mailpath.telemetry.TelemetryNames.*;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.SendReceipt;
import io.mailpath.spi.ConnectionPoolState;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records into the server's OpenTelemetry (MicroProfile Telemetry's {@code OpenTelemetry} bean). The only class that
 * names OpenTelemetry types: nothing loads it unless the API is visible to the application, and it is no bean, so that
 * bean discovery never touches it.
 */
final class OpenTelemetryRecorder implements Recorder {
    private static final Logger LOG = Logger.getLogger(OpenTelemetryRecorder.class.getName());

    private static final AttributeKey<String> STREAM_KEY = AttributeKey.stringKey(STREAM);
    private static final AttributeKey<String> TRANSPORT_KEY = AttributeKey.stringKey(TRANSPORT);
    private static final AttributeKey<String> OUTCOME_KEY = AttributeKey.stringKey(OUTCOME);
    private static final AttributeKey<String> DELIVERED_BY_KEY = AttributeKey.stringKey(DELIVERED_BY);
    private static final AttributeKey<String> POOL_STATE_KEY = AttributeKey.stringKey(POOL_STATE);
    private static final AttributeKey<Long> STATUS_KEY = AttributeKey.longKey(STATUS);
    private static final AttributeKey<Double> DURATION_KEY = AttributeKey.doubleKey(DURATION);

    private final Tracer tracer;
    private final LongCounter attempts;
    private final DoubleHistogram attemptDuration;
    private final LongCounter messages;
    private final LongCounter failovers;
    private final LongCounter possibleDuplicates;
    private final LongCounter canariesDelivered;
    private final LongCounter canariesMissed;
    private final ObservableLongGauge poolConnections;
    private final ObservableLongGauge poolMax;

    /**
     * The transports sends went through, each of its stream (a named stream has transports, so pools, of its own): the
     * pool gauges report theirs.
     */
    private final Set<StreamTransport> transportsUsed = ConcurrentHashMap.newKeySet();

    private final BiFunction<String, String, Optional<ConnectionPoolState>> pools;

    /** One stream's transport. */
    private record StreamTransport(String stream, String transport) {}

    /**
     * The recorder of the application's {@code OpenTelemetry} bean, or empty when there is none.
     *
     * @param beans where to look it up
     * @param pools a stream's transport's pool figures, by the stream's name and the transport's
     */
    static Optional<Recorder> of(
            Instance<Object> beans, BiFunction<String, String, Optional<ConnectionPoolState>> pools) {
        Instance<OpenTelemetry> otel = beans.select(OpenTelemetry.class);
        if (!otel.isResolvable()) {
            return Optional.empty();
        }
        return Optional.of(new OpenTelemetryRecorder(otel.get(), pools));
    }

    OpenTelemetryRecorder(OpenTelemetry otel, BiFunction<String, String, Optional<ConnectionPoolState>> pools) {
        this.pools = pools;
        String version = OpenTelemetryRecorder.class.getPackage().getImplementationVersion();
        tracer = version == null ? otel.getTracer(SCOPE) : otel.getTracer(SCOPE, version);
        Meter meter = version == null
                ? otel.getMeter(SCOPE)
                : otel.meterBuilder(SCOPE).setInstrumentationVersion(version).build();
        attempts = counter(
                meter, ATTEMPTS, "{attempt}", "Attempts to send a message through one transport, by how each ended");
        attemptDuration = meter.histogramBuilder(ATTEMPT_DURATION)
                .setDescription("How long each attempt took")
                .setUnit("s")
                .build();
        messages = counter(meter, MESSAGES, "{message}", "Routed sends, by how each ended for its caller");
        failovers = counter(meter, FAILOVERS, "{message}", "Sends a later transport delivered after the first failed");
        possibleDuplicates = counter(
                meter,
                POSSIBLE_DUPLICATES,
                "{message}",
                "Sends delivered after an uncertain attempt: recipients may get them twice");
        canariesDelivered =
                counter(meter, CANARY_DELIVERED, "{message}", "Canaries whose delivery event came within their window");
        canariesMissed = counter(
                meter, CANARY_MISSED, "{message}", "Canaries accepted by their transport but not delivered in time");
        poolConnections = meter.gaugeBuilder(POOL_CONNECTIONS)
                .setDescription("A transport's pooled connections: open, idle, in use; and sends waiting for one")
                .setUnit("{connection}")
                .ofLongs()
                .buildWithCallback(this::observePools);
        poolMax = meter.gaugeBuilder(POOL_MAX)
                .setDescription("The most connections a transport's pool opens at a time")
                .setUnit("{connection}")
                .ofLongs()
                .buildWithCallback(this::observePoolMax);
    }

    private static LongCounter counter(Meter meter, String name, String unit, String description) {
        return meter.counterBuilder(name)
                .setDescription(description)
                .setUnit(unit)
                .build();
    }

    @Override
    public SendSpan startSend(Mail mail, String stream) {
        var builder =
                tracer.spanBuilder(SEND_SPAN).setSpanKind(SpanKind.INTERNAL).setAttribute(MAIL_ID, mail.id());
        if (!MailStream.DEFAULT.equals(stream)) {
            builder.setAttribute(STREAM_KEY, stream);
        }
        Span span = builder.startSpan();
        return new OtelSendSpan(span);
    }

    @Override
    public void attempts(String stream, List<Attempt> tried) {
        for (Attempt a : tried) {
            transportsUsed.add(new StreamTransport(stream, a.transport()));
            Attributes by = inStream(
                    stream, Attributes.of(TRANSPORT_KEY, a.transport(), OUTCOME_KEY, Recorder.outcome(a.failure())));
            attempts.add(1, by);
            attemptDuration.record(seconds(a), by);
        }
    }

    @Override
    public void message(String stream, String transport, String outcome) {
        messages.add(1, inStream(stream, Attributes.of(TRANSPORT_KEY, transport, OUTCOME_KEY, outcome)));
    }

    @Override
    public void failover(String stream, String failedTransport, String reason, String deliveredBy) {
        failovers.add(
                1,
                inStream(
                        stream,
                        Attributes.of(
                                TRANSPORT_KEY, failedTransport, OUTCOME_KEY, reason, DELIVERED_BY_KEY, deliveredBy)));
    }

    @Override
    public void possibleDuplicate(String stream, String deliveredBy) {
        possibleDuplicates.add(1, inStream(stream, Attributes.of(TRANSPORT_KEY, deliveredBy)));
    }

    @Override
    public void canary(String transport, String stream, boolean delivered) {
        (delivered ? canariesDelivered : canariesMissed)
                .add(1, inStream(stream, Attributes.of(TRANSPORT_KEY, transport)));
    }

    /**
     * The attributes of a named stream's send: these and the stream's name. The unnamed stream's carry no stream, so
     * that an application without streams reports the same series as before streams existed.
     */
    private static Attributes inStream(String stream, Attributes attributes) {
        return MailStream.DEFAULT.equals(stream)
                ? attributes
                : attributes.toBuilder().put(STREAM_KEY, stream).build();
    }

    @Override
    public void close() {
        // A server-wide SDK outlives the application: its callbacks must not call into a stopped one.
        poolConnections.close();
        poolMax.close();
    }

    @Override
    public String toString() {
        return "OpenTelemetry";
    }

    private void observePools(ObservableLongMeasurement out) {
        eachPool((used, pool) -> {
            out.record(pool.open(), state(used, "open"));
            out.record(pool.idle(), state(used, "idle"));
            out.record(pool.inUse(), state(used, "in_use"));
            out.record(pool.waiting(), state(used, "waiting"));
        });
    }

    private void observePoolMax(ObservableLongMeasurement out) {
        eachPool((used, pool) -> out.record(pool.max(), of(used).build()));
    }

    private void eachPool(java.util.function.BiConsumer<StreamTransport, ConnectionPoolState> each) {
        for (StreamTransport used : transportsUsed) {
            try {
                pools.apply(used.stream(), used.transport()).ifPresent(pool -> each.accept(used, pool));
            } catch (RuntimeException e) {
                // The exporter's thread: a failure here would only cost the other figures.
                LOG.log(
                        Level.FINE,
                        e,
                        () -> "No pool figures for transport '" + used.transport() + "' of stream '" + used.stream()
                                + "'");
            }
        }
    }

    /** A pool's attributes: its transport, and its stream when it is a named one's (the unnamed stream's as before). */
    private static AttributesBuilder of(StreamTransport used) {
        AttributesBuilder by = Attributes.builder().put(TRANSPORT_KEY, used.transport());
        if (!used.stream().equals(MailStream.DEFAULT)) {
            by.put(STREAM_KEY, used.stream());
        }
        return by;
    }

    private static Attributes state(StreamTransport used, String state) {
        return of(used).put(POOL_STATE_KEY, state).build();
    }

    private static double seconds(Attempt a) {
        return a.duration().toNanos() / 1e9;
    }

    /** One routed send's span; OpenTelemetry's spans are safe to use from any thread. */
    private record OtelSendSpan(Span span) implements SendSpan {
        @Override
        public Current makeCurrent() {
            Scope scope = span.makeCurrent();
            return scope::close;
        }

        @Override
        public void attempts(List<Attempt> tried) {
            for (Attempt a : tried) {
                var event = Attributes.builder()
                        .put(TRANSPORT_KEY, a.transport())
                        .put(OUTCOME_KEY, Recorder.outcome(a.failure()))
                        .put(DURATION_KEY, seconds(a));
                if (a.status() != MailException.NO_STATUS) {
                    event.put(STATUS_KEY, (long) a.status());
                }
                span.addEvent(ATTEMPT_EVENT, event.build());
            }
        }

        @Override
        public void delivered(SendReceipt receipt) {
            span.setAttribute(TRANSPORT, receipt.transport());
            span.setAttribute(OUTCOME, DELIVERED);
            span.setAttribute(FAILED_OVER, receipt.failedOver());
            span.setAttribute(POSSIBLE_DUPLICATE, receipt.possibleDuplicate());
        }

        @Override
        public void failed(Throwable failure) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String outcome = Recorder.outcome(cause);
            if (cause instanceof MailException e && e.transport() != null) {
                span.setAttribute(TRANSPORT, e.transport());
            }
            span.setAttribute(OUTCOME, outcome);
            span.setAttribute(ERROR_TYPE, outcome);
            // The kind only: an exception's message may name recipients.
            span.setStatus(StatusCode.ERROR, outcome);
        }

        @Override
        public void end() {
            span.end();
        }
    }
}
