package io.mailpath.telemetry;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.TransportName;
import io.mailpath.events.CanaryDelivered;
import io.mailpath.events.CanaryEvent;
import io.mailpath.events.MailFailed;
import io.mailpath.events.MailFailedOver;
import io.mailpath.events.MailPossibleDuplicate;
import io.mailpath.events.MailSent;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.spi.DirectTransport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds the metrics from the routed sends' events and keeps each send's span, for {@link TracedMailTransport}. Where
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

    private Recorder recorder = Recorder.NONE;

    /**
     * The spans of sends under way, by message (identity): the events of a send find its span here, on whatever
     * thread they are fired. The same message object sent twice at once shares one entry, and the later span misses
     * its attempt events.
     */
    private final Map<Mail, Recorder.SendSpan> sending = Collections.synchronizedMap(new IdentityHashMap<>());

    /** The sends of {@code sendAsync} under way: their inner {@code send} joins their span. */
    private final Map<Mail, Recorder.SendSpan> sendingAsync = Collections.synchronizedMap(new IdentityHashMap<>());

    /** Each transport resolved once: a dependent bean looked up again would be kept until the application stops. */
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

    private Optional<ConnectionPoolState> pool(String name) {
        return pooled.computeIfAbsent(
                        name,
                        n -> transports.select(TransportName.Literal.of(n)).get())
                .connectionPool();
    }

    /** Whether telemetry goes anywhere. */
    public boolean recording() {
        return recorder != Recorder.NONE;
    }

    Recorder.SendSpan startSend(Mail mail, boolean async) {
        Recorder.SendSpan span = recorder.startSend(mail);
        if (span != Recorder.NO_SPAN) {
            sending.put(mail, span);
            if (async) {
                sendingAsync.put(mail, span);
            }
        }
        return span;
    }

    /** The span of a {@code sendAsync} of this message under way, or null. */
    Recorder.SendSpan asyncSpan(Mail mail) {
        return sendingAsync.get(mail);
    }

    void endSend(Mail mail, Recorder.SendSpan span) {
        sending.remove(mail, span);
        sendingAsync.remove(mail, span);
        span.end();
    }

    void sent(@Observes MailSent event) {
        var receipt = event.receipt();
        attempts(event.mail(), receipt.attempts());
        recorder.message(receipt.transport(), TelemetryNames.DELIVERED);
    }

    void failedOver(@Observes MailFailedOver event) {
        recorder.failover(event.failedTransport(), Recorder.outcome(event.reason()), event.deliveredBy());
    }

    void possibleDuplicate(@Observes MailPossibleDuplicate event) {
        recorder.possibleDuplicate(event.receipt().transport());
    }

    void canary(@Observes CanaryEvent event) {
        recorder.canary(event.transport(), event instanceof CanaryDelivered);
    }

    void failed(@Observes MailFailed event) {
        attempts(event.mail(), event.attempts());
        String transport = event.failure().transport();
        if (transport == null && !event.attempts().isEmpty()) {
            transport = event.attempts().get(event.attempts().size() - 1).transport();
        }
        recorder.message(transport == null ? "none" : transport, Recorder.outcome(event.failure()));
    }

    private void attempts(Mail mail, List<Attempt> all) {
        // A transport passed over because it cannot carry the message was not tried: no attempt to count.
        List<Attempt> attempts = all.stream().filter(a -> !a.skipped()).toList();
        recorder.attempts(attempts);
        Recorder.SendSpan span = sending.get(mail);
        if (span != null) {
            span.attempts(attempts);
        }
    }
}
