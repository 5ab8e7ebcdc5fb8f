package io.mailpath.telemetry;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.TransportName;
import io.mailpath.events.CanaryDelivered;
import io.mailpath.events.CanaryEvent;
import io.mailpath.events.MailEvent;
import io.mailpath.events.MailFailed;
import io.mailpath.events.MailFailedOver;
import io.mailpath.events.MailPossibleDuplicate;
import io.mailpath.events.MailSent;
import io.mailpath.routing.RoutingState;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds the metrics from the routed sends' events and keeps each send's span, for {@link TracedSends}. Where
 * the server offers no OpenTelemetry (its API is not visible to the application, or there is no {@code OpenTelemetry}
 * bean) it records nothing, and sends go on as they would without this module.
 */
@ApplicationScoped
public class MailTelemetry {
    private static final Logger LOG = Logger.getLogger(MailTelemetry.class.getName());

    static final String OPEN_TELEMETRY_CLASS = "io.opentelemetry.api.OpenTelemetry";

    @Inject
    Instance<Object> beans;

    @Inject
    @Any
    Instance<DirectTransport> transports;

    @Inject
    Instance<RoutingState> routing;

    private Recorder recorder = Recorder.NONE;

    /**
     * The spans of sends under way, by message id and stream: the events of a send find its span here, on whatever
     * thread they are fired, although they carry the copy of the message the stream stamped rather than the caller's.
     * The same message sent through the same stream twice at once shares one entry, and the later span misses its
     * attempt events.
     */
    private final Map<Sending, UnderWay> sending = new ConcurrentHashMap<>();

    /** A message through a stream. */
    private record Sending(String mailId, String stream) {
        Sending(Mail mail, String stream) {
            this(mail.id(), stream);
        }
    }

    /**
     * A send's span, the thread that started it, and whether it is a {@code sendAsync}'s, whose inner {@code send}
     * runs on another thread.
     */
    private record UnderWay(Recorder.SendSpan span, Thread thread, boolean async) {}

    /** Each stream's transport resolved once: a dependent bean looked up again would be kept until the application stops. */
    private final Map<String, DirectTransport> pooled = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        // Every call into OpenTelemetry goes through the guard: telemetry never changes a send's outcome.
        recorder = GuardedRecorder.guard(find());
        if (recording()) {
            LOG.info("Mailpath telemetry hands its metrics and spans to the server's OpenTelemetry (exported where"
                    + " its SDK is enabled: otel.sdk.disabled=false)");
        }
    }

    @PreDestroy
    void stop() {
        recorder.close();
    }

    private Recorder find() {
        if (!openTelemetryVisible(MailTelemetry.class.getClassLoader())) {
            LOG.info("Mailpath telemetry is off: the OpenTelemetry API is not visible to the application (on Open"
                    + " Liberty: the mpTelemetry feature and apiTypeVisibility=\"+third-party\")");
            return Recorder.NONE;
        }
        try {
            return OpenTelemetryRecorder.of(beans, this::pool).orElseGet(() -> {
                LOG.info("Mailpath telemetry is off: no OpenTelemetry bean (MicroProfile Telemetry is not enabled)");
                return Recorder.NONE;
            });
        } catch (RuntimeException | LinkageError e) {
            // An OpenTelemetry older than the one Mailpath needs, or one that failed to start: sending matters more.
            LOG.log(Level.WARNING, "Mailpath telemetry is off: the server's OpenTelemetry could not be used", e);
            return Recorder.NONE;
        }
    }

    /** Whether OpenTelemetry's API can be loaded by this class loader (the application's, in a server). */
    static boolean openTelemetryVisible(ClassLoader loader) {
        try {
            Class.forName(OPEN_TELEMETRY_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private Optional<ConnectionPoolState> pool(String stream, String name) {
        return pooled.computeIfAbsent(
                        stream + "/" + name,
                        n -> stream.equals(MailStream.DEFAULT)
                                ? transports
                                        .select(TransportName.Literal.of(name))
                                        .get()
                                // A named stream's own transport: the instance its sends go through.
                                : routing.get().transport(stream, name))
                .connectionPool();
    }

    /** Whether telemetry goes anywhere. */
    public boolean recording() {
        return recorder != Recorder.NONE;
    }

    /** Starts the span of a send of this message through this stream, for {@link TracedSends}. */
    Recorder.SendSpan startSend(Mail mail, String stream, boolean async) {
        Recorder.SendSpan span = recorder.startSend(mail, stream);
        if (span != Recorder.NO_SPAN) {
            sending.put(new Sending(mail, stream), new UnderWay(span, Thread.currentThread(), async));
        }
        return span;
    }

    /**
     * The span of a send of this message through this stream that a call should join rather than start its own: one
     * started on this thread (the call is the router's own, inside that send), or a {@code sendAsync}'s; else null.
     */
    Recorder.SendSpan spanToJoin(Mail mail, String stream) {
        UnderWay underWay = sending.get(new Sending(mail, stream));
        return underWay != null && (underWay.async() || underWay.thread() == Thread.currentThread())
                ? underWay.span()
                : null;
    }

    void endSend(Mail mail, String stream, Recorder.SendSpan span) {
        sending.computeIfPresent(
                new Sending(mail, stream), (key, underWay) -> underWay.span() == span ? null : underWay);
        span.end();
    }

    void sent(@Observes MailSent event) {
        var receipt = event.receipt();
        attempts(event, receipt.attempts());
        recorder.message(event.stream(), receipt.transport(), TelemetryNames.DELIVERED);
    }

    void failedOver(@Observes MailFailedOver event) {
        recorder.failover(
                event.stream(), event.failedTransport(), Recorder.outcome(event.reason()), event.deliveredBy());
    }

    void possibleDuplicate(@Observes MailPossibleDuplicate event) {
        recorder.possibleDuplicate(event.stream(), event.receipt().transport());
    }

    void canary(@Observes CanaryEvent event) {
        recorder.canary(event.transport(), event.stream(), event instanceof CanaryDelivered);
    }

    void failed(@Observes MailFailed event) {
        attempts(event, event.attempts());
        String transport = event.failure().transport();
        if (transport == null && !event.attempts().isEmpty()) {
            transport = event.attempts().get(event.attempts().size() - 1).transport();
        }
        recorder.message(event.stream(), transport == null ? "none" : transport, Recorder.outcome(event.failure()));
    }

    private void attempts(MailEvent event, List<Attempt> all) {
        // A transport passed over because it cannot carry the message was not tried: no attempt to count.
        List<Attempt> attempts = all.stream().filter(a -> !a.skipped()).toList();
        recorder.attempts(event.stream(), attempts);
        UnderWay underWay = sending.get(new Sending(event.mailId(), event.stream()));
        if (underWay != null) {
            underWay.span().attempts(attempts);
        }
    }
}
