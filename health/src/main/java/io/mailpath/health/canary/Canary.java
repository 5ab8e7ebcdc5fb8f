package io.mailpath.health.canary;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.TransportName;
import io.mailpath.events.CanaryDelivered;
import io.mailpath.events.CanaryEvent;
import io.mailpath.events.CanaryMissed;
import io.mailpath.health.ReadinessDetails;
import io.mailpath.health.TransportData;
import io.mailpath.health.TransportStatusBoard;
import io.mailpath.routing.RoutingState;
import io.mailpath.spi.config.ConfigReader;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends a small message through each configured transport alone, every interval, and expects its delivery event from
 * the webhook receiver within the window: the proof that mail flows, and the alarm when it silently stops. What it saw
 * goes into the readiness data of each transport ({@code canary.*}); each canary ends in a {@link CanaryDelivered} or
 * {@link CanaryMissed} event. Its sends are attempts through their transport like a routed send's
 * ({@link TransportStatusBoard#canarySent}): with no traffic, a canary that cannot be sent through any path makes
 * readiness DOWN. A missed delivery does not: the transport took the message. Without {@code mailpath-webhooks} on
 * the class path it only sends.
 *
 * <p>Each named stream of {@code mailpath.streams} has its own canary, through its own transports (built from its
 * keys, so its own API key and relay login) and with its own settings read through the stream's overlay
 * ({@code mailpath.stream.<name>.canary.*} first, else the shared {@code mailpath.canary.*}): a stream inherits the
 * shared canary unless it sets its own keys. Its data goes under the stream's transports
 * ({@code stream.<name>.<transport>.canary.*}), its outcomes speak for that stream's paths only, and its events carry
 * the stream ({@link CanaryEvent#stream()}).
 */
@ApplicationScoped
public class Canary implements ReadinessDetails {
    /** The header that marks a canary on every path, its value the transport it went through. */
    public static final String HEADER = "X-Mailpath-Canary";

    /** The metadata key that marks a canary (it comes back in its webhook events), its value the transport. */
    public static final String METADATA_KEY = "mailpath_canary";

    /** The start of every canary's mail id. */
    public static final String ID_PREFIX = "mailpath-canary-";

    private static final Logger LOG = Logger.getLogger(Canary.class.getName());

    @Inject
    CanaryExtension extension;

    @Inject
    CanaryScheduler scheduler;

    @Inject
    RoutingState routing;

    @Inject
    TransportStatusBoard board;

    @Inject
    @Any
    Instance<MailTransport> transports;

    @Inject
    Event<CanaryEvent> events;

    /** Each stream's settings, for the streams that have a canary. */
    private final Map<String, CanarySettings> settings = new ConcurrentHashMap<>();

    /** By {@link #key(String, String) stream and transport}. */
    private final Map<String, PathRecord> paths = new ConcurrentHashMap<>();

    /** Canaries awaiting their delivery event, by mail id. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private final List<CanaryScheduler.Scheduled> schedules = new ArrayList<>();

    private record Pending(
            String stream, String transport, Instant sentAt, Duration window, CanaryScheduler.Scheduled expiry) {}

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        ConfigReader shared = ConfigReader.of(ConfigProvider.getConfig());
        for (String stream : routing.streams()) {
            // Checked when the application was deployed (CanaryExtension): this read cannot fail.
            Optional<CanarySettings> configured =
                    CanarySettings.read(MailStream.DEFAULT.equals(stream) ? shared : shared.inStream(stream));
            configured.ifPresent(s -> start(stream, s));
        }
    }

    private void start(String stream, CanarySettings s) {
        settings.put(stream, s);
        boolean unnamed = MailStream.DEFAULT.equals(stream);
        List<String> through = s.paths().isEmpty() ? routing.order(stream) : s.paths();
        synchronized (schedules) {
            for (String path : through) {
                // The unnamed stream's transport beans; a named stream's own instances, built from its keys.
                MailTransport transport = unnamed
                        ? transports.select(TransportName.Literal.of(path)).get()
                        : routing.transport(stream, path);
                paths.put(key(stream, path), new PathRecord());
                schedules.add(scheduler.every(s.interval(), () -> send(stream, path, transport)));
            }
        }
        LOG.info(() -> "Mailpath canary" + (unnamed ? "" : " of stream '" + stream + "'") + ": every "
                + s.interval().toMillis() + " ms through " + String.join(", ", through)
                + (extension.deliveryEventsObserved()
                        ? ", each expected delivered within " + s.window().toMillis() + " ms"
                        : "; without mailpath-webhooks it cannot see deliveries, so it reports sends only"));
    }

    private static String key(String stream, String transport) {
        return stream + "/" + transport;
    }

    /**
     * Cancels every task, each whatever another's cancel threw: a {@link LinkageError} too, which is what a server
     * that has already stopped the application's class loader (Payara Micro 7, after a failed deployment) throws for
     * the first class a shutdown needs. Plain loops, not lambdas, for the same reason.
     */
    @PreDestroy
    void stop() {
        synchronized (schedules) {
            for (CanaryScheduler.Scheduled s : schedules) {
                cancel(s, "sends");
            }
            schedules.clear();
        }
        for (Pending p : pending.values()) {
            cancel(p.expiry(), "wait for the delivery of " + p.transport());
        }
        pending.clear();
    }

    private static void cancel(CanaryScheduler.Scheduled task, String what) {
        try {
            task.cancel();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Mailpath canary could not cancel its " + what + " as it stopped", e);
        }
    }

    /** Whether a canary is configured and running. */
    public boolean running() {
        return !settings.isEmpty();
    }

    /** Whether this stream has a canary running ({@value MailStream#DEFAULT} for the unnamed stream). */
    public boolean running(String stream) {
        return settings.containsKey(stream);
    }

    /** Sends one canary through the stream's transport alone; runs on the scheduler's thread. */
    void send(String stream, String path, MailTransport transport) {
        CanarySettings s = settings.get(stream);
        PathRecord record = paths.get(key(stream, path));
        Instant now = scheduler.now();
        boolean unnamed = MailStream.DEFAULT.equals(stream);
        String through = unnamed ? path : path + " of stream " + stream;
        Mail canary = Mail.builder()
                .id(ID_PREFIX + UUID.randomUUID())
                .from(s.from())
                .to(s.to())
                .subject("Mailpath canary through " + through + ", " + now)
                .text("Mailpath sent this through '" + through
                        + "' to prove that its mail is delivered. Nothing to do.")
                .header(HEADER, path)
                .metadata(METADATA_KEY, path)
                .build();
        if (!unnamed) {
            // Stamped as the stream's routed mail is: its outcome is recorded against that stream's path.
            canary = canary.inStream(stream);
        }
        String id = canary.id();
        boolean tracked = extension.deliveryEventsObserved();
        if (tracked) {
            // Awaited before the send: its delivery event may arrive before send() returns.
            pending.put(id, new Pending(stream, path, now, s.window(), scheduler.after(s.window(), () -> expire(id))));
        }
        long start = System.nanoTime();
        try {
            SendReceipt receipt = transport.send(canary);
            record.sent(now, canary.id());
            List<Attempt> own = receipt.attempts();
            int status = own.isEmpty()
                    ? MailException.NO_STATUS
                    : own.get(own.size() - 1).status();
            board.canarySent(Attempt.succeeded(path, status, since(start)), canary);
        } catch (MailException e) {
            Pending never = pending.remove(canary.id());
            if (never != null) {
                never.expiry().cancel();
            }
            record.sendFailed(now, e);
            // With no traffic, the canary is the only evidence that a path cannot send: readiness hears of it.
            board.canarySent(Attempt.failed(path, e, since(start)), canary);
            LOG.warning(() ->
                    "Mailpath canary through '" + through + "' was not sent: " + e.kind() + ", " + e.getMessage());
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the canary must outlive any failure.
            LOG.log(Level.WARNING, e, () -> "Mailpath canary through '" + through + "' failed");
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * A delivery event for this mail id arrived (the webhook receiver's thread). Anything but a pending canary is
     * ignored, quickly: the receiver answers Mailtarget only after its observers ran.
     */
    public void delivered(String mailId) {
        if (mailId == null || !mailId.startsWith(ID_PREFIX)) {
            return;
        }
        Pending p = pending.remove(mailId);
        if (p == null) {
            return;
        }
        p.expiry().cancel();
        Instant now = scheduler.now();
        paths.get(key(p.stream(), p.transport())).delivered(now, mailId);
        fire(new CanaryDelivered(p.transport(), mailId, p.sentAt(), p.window(), now, p.stream()));
    }

    /** The window passed: runs on the scheduler's thread. */
    void expire(String mailId) {
        Pending p = pending.remove(mailId);
        if (p == null) {
            return;
        }
        paths.get(key(p.stream(), p.transport())).missed(scheduler.now(), mailId);
        LOG.warning(() -> "Mailpath canary " + mailId + " through '" + p.transport() + "'"
                + (MailStream.DEFAULT.equals(p.stream()) ? "" : " of stream '" + p.stream() + "'") + ", sent "
                + p.sentAt() + ", had no delivery event within " + p.window().toMillis() + " ms");
        fire(new CanaryMissed(p.transport(), mailId, p.sentAt(), p.window(), p.stream()));
    }

    private void fire(CanaryEvent event) {
        try {
            events.fire(event);
        } catch (RuntimeException e) {
            observerFailed(event, e);
        }
        events.fireAsync(event).whenComplete((done, failure) -> {
            if (failure != null) {
                observerFailed(event, failure);
            }
        });
    }

    private static void observerFailed(CanaryEvent event, Throwable e) {
        // The canary goes on: an alerting observer that fails must not stop it, nor fail a webhook batch.
        LOG.log(Level.WARNING, e, () -> "An observer of " + event.getClass().getSimpleName() + " failed");
    }

    @Override
    public void describe(String transport, TransportData data) {
        describe(MailStream.DEFAULT, transport, data);
    }

    @Override
    public void describe(String stream, String transport, TransportData data) {
        PathRecord record = paths.get(key(stream, transport));
        if (record == null) {
            return;
        }
        boolean tracked = extension.deliveryEventsObserved();
        data.put("canary.delivery-tracked", tracked);
        if (tracked) {
            data.put(
                    "canary.pending",
                    pending.values().stream()
                            .filter(p ->
                                    p.stream().equals(stream) && p.transport().equals(transport))
                            .count());
        }
        record.describe(data);
    }

    /** What the canary saw of one path; its lock is held for a few field writes. */
    private static final class PathRecord {
        private Instant lastSent;
        private String lastSentId;
        private Instant lastDelivered;
        private String lastDeliveredId;
        private Instant lastMissed;
        private String lastMissedId;
        private Instant lastSendFailure;
        private String lastSendFailureKind;

        synchronized void sent(Instant at, String id) {
            lastSent = at;
            lastSentId = id;
        }

        synchronized void sendFailed(Instant at, MailException e) {
            lastSendFailure = at;
            lastSendFailureKind = e.kind().name();
        }

        synchronized void delivered(Instant at, String id) {
            lastDelivered = at;
            lastDeliveredId = id;
        }

        synchronized void missed(Instant at, String id) {
            lastMissed = at;
            lastMissedId = id;
        }

        synchronized void describe(TransportData data) {
            data.put("canary.last-sent", lastSent)
                    .put("canary.last-sent.id", lastSentId)
                    .put("canary.last-delivered", lastDelivered)
                    .put("canary.last-delivered.id", lastDeliveredId)
                    .put("canary.last-missed", lastMissed)
                    .put("canary.last-missed.id", lastMissedId)
                    .put("canary.last-send-failure", lastSendFailure)
                    .put("canary.last-send-failure.kind", lastSendFailureKind);
        }
    }
}
