package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxDrains;
import io.mailpath.outbox.OutboxEntryDied;
import io.mailpath.outbox.OutboxRelay;
import io.mailpath.outbox.OutboxStorageException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The outbox of a container: {@code @Inject MailOutbox} on the data source named by
 * {@value OutboxConfiguration#DATASOURCE}, and its relay on the container's managed scheduled executor, sending
 * through the routed {@code MailTransport}, with at most {@value OutboxConfiguration#RELAY_CONCURRENCY} drains at once
 * ({@link OutboxDrains}). Each enqueue inside a JTA transaction asks the relay to drain right after that transaction
 * commits, rather than at its next tick; a rollback asks nothing, and takes the row with it.
 *
 * <p>{@code @Inject @MailStream("marketing") MailOutbox} enqueues into a named stream: each message is admitted
 * through the stream's routing before it is stored (a From address outside the stream's sending domains is refused
 * with nothing stored), and the relay sends each entry through its own stream's routed transport. The plain
 * {@code @Inject MailOutbox} enqueues into the unnamed stream.
 */
@ApplicationScoped
public class OutboxRuntime {
    /** The default managed scheduled executor every Jakarta EE server binds. */
    static final String DEFAULT_EXECUTOR = "java:comp/DefaultManagedScheduledExecutorService";

    /** Where every Jakarta EE server binds the registry of the current transaction. */
    static final String TRANSACTION_REGISTRY = "java:comp/TransactionSynchronizationRegistry";

    /**
     * A name every Jakarta EE server binds in each module's namespace: while it cannot be looked up, neither can the
     * application's own names (a {@code <data-source>} in web.xml, an {@code @DataSourceDefinition}).
     */
    static final String MODULE_NAME = "java:module/ModuleName";

    /** How often a start that waits for the application's names tries again. */
    static final long NAMES_WAIT_MS = 500;

    private static final Logger LOG = Logger.getLogger(OutboxRuntime.class.getName());

    /** The key under which a transaction remembers that it will ask for a drain (once, however many enqueues). */
    private static final Object DRAIN_REGISTERED = new Object();

    @Inject
    Instance<MailTransport> transports;

    @Inject
    Event<OutboxEntryDied> deaths;

    /** The routing's beans, looked up only where the routing is deployed ({@link OutboxStreams}). */
    @Inject
    Instance<Object> beans;

    private MailOutbox outbox;
    private OutboxRelay relay;
    private OutboxDrains drains;
    private boolean storageFailureLogged;
    private OutboxConfiguration configuration;
    private TransactionSynchronizationRegistry transactions;
    private final List<Future<?>> schedules = new ArrayList<>();
    private volatile boolean stopped;
    private Future<?> waitingStart;

    /**
     * Starts the outbox when the application starts, failing its deployment when the data source cannot be looked up.
     * Payara Micro starts CDI before it binds the module's names: there the start waits for them on the managed
     * executor (a wrong name is then logged, and the first injection of the outbox fails).
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (namesBound()) {
            started();
        } else {
            startWhenNamesBound();
        }
    }

    /**
     * The application's outbox, enqueuing into the unnamed stream.
     *
     * @throws MailConfigurationException when {@value OutboxConfiguration#DATASOURCE} is not set
     */
    @Produces
    @Dependent
    MailOutbox outbox() {
        return inStream(MailStream.DEFAULT);
    }

    /**
     * The outbox of one named stream: {@code @Inject @MailStream("marketing") MailOutbox}.
     *
     * @throws MailConfigurationException when {@value OutboxConfiguration#DATASOURCE} is not set, or the stream is not
     *     listed in {@code mailpath.streams}
     */
    @Produces
    @Dependent
    @MailStream("")
    MailOutbox streamOutbox(InjectionPoint injectionPoint) {
        String stream = injectionPoint.getQualifiers().stream()
                .filter(MailStream.class::isInstance)
                .map(q -> ((MailStream) q).value())
                .findFirst()
                .orElseThrow();
        return inStream(stream);
    }

    /** The outbox, admitting each message into a stream before it is stored. */
    private MailOutbox inStream(String stream) {
        MailOutbox started = started();
        if (started == null) {
            throw new MailConfigurationException(
                    "MailOutbox needs " + OutboxConfiguration.DATASOURCE + " (the JNDI name of a DataSource)");
        }
        if (OutboxExtension.routingDeployed()) {
            return started.admitting(OutboxStreams.admission(beans, stream));
        }
        if (!MailStream.DEFAULT.equals(stream)) {
            throw new MailConfigurationException("@MailStream(\"" + stream + "\") MailOutbox needs the Mailpath routing"
                    + " (io.mailpath:mailpath-routing), which configures the streams listed in mailpath.streams");
        }
        return started.admitting(mail -> mail.inStream(MailStream.DEFAULT));
    }

    /** Whether this server runs a relay. */
    public boolean relayRunning() {
        synchronized (schedules) {
            return !schedules.isEmpty();
        }
    }

    /** Whether the start still waits for the module's names to be bound. */
    synchronized boolean waitingForNames() {
        return waitingStart != null && !waitingStart.isDone();
    }

    /**
     * Starts the outbox once: on the deploying thread when the application starts (there {@code java:comp} is the
     * application's), on the managed executor once the module's names are bound, or earlier when another bean's
     * start-up enqueues first.
     */
    private synchronized MailOutbox started() {
        if (outbox != null || stopped) {
            return outbox;
        }
        // Checked when the application was deployed (OutboxExtension): this read cannot fail.
        var configured = OutboxConfiguration.read(ConfigProvider.getConfig());
        if (configured.isEmpty()) {
            return null;
        }
        configuration = configured.get();
        DataSource dataSource = lookup(
                configuration.dataSource(),
                DataSource.class,
                OutboxConfiguration.DATASOURCE + " names '" + configuration.dataSource() + "',");
        transactions = optionalLookup(TRANSACTION_REGISTRY, TransactionSynchronizationRegistry.class);
        outbox = new MailOutbox(dataSource, configuration.settings(), this::enqueued);
        if (configuration.relayEnabled()) {
            try {
                startRelay();
            } catch (RuntimeException e) {
                // Not started at all, so that the next start (an injection, the waiting start) tries again, rather
                // than an outbox whose enqueues no relay here would ever send.
                outbox = null;
                relay = null;
                drains = null;
                throw e;
            }
        }
        if (waitingStart != null) {
            waitingStart.cancel(false);
        }
        LOG.info(() -> "Mailpath outbox on " + configuration.dataSource() + " (" + outbox.dialect() + ", table "
                + configuration.settings().table() + "); "
                + (configuration.relayEnabled()
                        ? "relay every " + configuration.relayInterval().toMillis() + " ms, "
                                + configuration.relayConcurrency() + " drains at most at once"
                        : "no relay on this server (" + OutboxConfiguration.RELAY_ENABLED + "=false)")
                + (transactions == null ? "; no transaction registry: mail waits for the next drain" : ""));
        return outbox;
    }

    /** Whether the module's names can be looked up yet (see {@link #MODULE_NAME}). */
    static boolean namesBound() {
        return optionalLookup(MODULE_NAME, Object.class) != null;
    }

    /**
     * Tries the start on the managed executor until the module's names are bound; the try that finds them bound is
     * the last. Without a relay nothing waits: the first injection of the outbox starts it.
     */
    private synchronized void startWhenNamesBound() {
        // Checked when the application was deployed (OutboxExtension): this read cannot fail.
        var configured = OutboxConfiguration.read(ConfigProvider.getConfig());
        if (configured.isEmpty() || !configured.get().relayEnabled() || stopped) {
            return;
        }
        LOG.info(() -> "Mailpath outbox: the application's JNDI names are not bound yet; it starts once they are");
        waitingStart =
                lookupExecutor().scheduleWithFixedDelay(this::tryWaitingStart, 0, NAMES_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void tryWaitingStart() {
        boolean bound = namesBound();
        try {
            started();
        } catch (OutboxStorageException e) {
            // The names are there but the database is not (yet): a relay-only server must still start once it is.
            if (bound && !storageFailureLogged) {
                storageFailureLogged = true;
                LOG.log(Level.WARNING, "Mailpath outbox not started yet; it tries again: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            if (bound) {
                LOG.log(
                        Level.SEVERE,
                        "Mailpath outbox not started (the first injection of MailOutbox tries again): "
                                + e.getMessage(),
                        e);
                waitingStart.cancel(false);
            }
        }
    }

    private static ScheduledExecutorService lookupExecutor() {
        return lookup(
                DEFAULT_EXECUTOR,
                ScheduledExecutorService.class,
                "The outbox relay (off with " + OutboxConfiguration.RELAY_ENABLED
                        + "=false) needs Jakarta Concurrency's " + DEFAULT_EXECUTOR
                        + " (on Open Liberty the concurrent-3.0 feature),");
    }

    private void startRelay() {
        ScheduledExecutorService executor = lookupExecutor();
        relay = OutboxRelay.byStream(outbox, streamTransports(), dead -> deaths.fire(new OutboxEntryDied(dead)));
        drains = new OutboxDrains(
                relay,
                executor,
                configuration.relayConcurrency(),
                configuration.settings().batchSize());
        long interval = configuration.relayInterval().toMillis();
        long purge = configuration.purgeInterval().toMillis();
        synchronized (schedules) {
            // The tick only asks: the drains run as tasks of their own, never more than relayConcurrency at once,
            // however slow they are.
            schedules.add(executor.scheduleWithFixedDelay(drains::request, interval, interval, TimeUnit.MILLISECONDS));
            schedules.add(executor.scheduleWithFixedDelay(this::purge, purge, purge, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * The transport of each stream: the application's {@code MailTransport} for the unnamed stream, each named
     * stream's routed transport (a stream that is not configured fails its entry's try as a configuration error).
     */
    private Function<String, MailTransport> streamTransports() {
        MailTransport unnamed = transports.get();
        if (OutboxExtension.routingDeployed()) {
            return OutboxStreams.transports(beans, unnamed);
        }
        return stream -> {
            if (MailStream.DEFAULT.equals(stream)) {
                return unnamed;
            }
            throw new MailConfigurationException("stream '" + stream + "' needs the Mailpath routing"
                    + " (io.mailpath:mailpath-routing), which configures the streams listed in mailpath.streams");
        };
    }

    /**
     * Stops the relay when the application begins to stop, before the container destroys its beans and its
     * configuration goes away: every CDI 4 container fires this before it destroys the application scoped beans.
     */
    void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object applicationStopping) {
        stop();
    }

    /**
     * Stops the relay (once; {@link #stopping} comes first where the container fires it): no drain claims anything
     * after this or starts at all, and each drain under way hands back the entries it claimed and has not started to
     * send (due at once, the try not counted, not flagged). Then it waits up to
     * {@value OutboxConfiguration#STOP_WAIT} for the sends under way, so that their outcome is recorded. A send that
     * outlasts the wait keeps its entry leased: its outcome is recorded if it ends while the data source still
     * works; otherwise, once the lease runs out, a relay (another server's, or this one after its restart) takes the
     * entry, counts the try and flags it possible duplicate, as it does for a server that died mid-send.
     */
    @PreDestroy
    void stop() {
        OutboxRelay stoppedRelay;
        OutboxDrains stoppedDrains;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (waitingStart != null) {
                waitingStart.cancel(false);
            }
            stoppedRelay = relay;
            stoppedDrains = drains;
        }
        synchronized (schedules) {
            schedules.forEach(f -> f.cancel(false));
            schedules.clear();
        }
        if (stoppedRelay == null) {
            return;
        }
        stoppedRelay.stop();
        stoppedDrains.stop();
        long waitMs = configuration.stopWait().toMillis();
        LOG.info(() -> "Mailpath outbox relay stopping: it claims nothing more and hands back what it has not sent;"
                + " waiting up to " + waitMs + " ms for " + stoppedDrains.running() + " sends under way");
        boolean idle;
        try {
            idle = stoppedDrains.awaitIdle(configuration.stopWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            // One line for the whole relay, never one per entry.
            LOG.warning("Mailpath outbox relay stopped with " + stoppedDrains.running()
                    + " sends still under way after "
                    + waitMs + " ms (" + OutboxConfiguration.STOP_WAIT + "): their entries stay leased until they"
                    + " finish, or until the lease (" + OutboxConfiguration.LEASE + ") runs out and a relay sends them"
                    + " again, flagged possible duplicate");
        }
    }

    /** Told of each enqueue, on the enqueuing thread, before its transaction ends. */
    private void enqueued(String id) {
        if (relay == null) {
            return; // another server drains
        }
        if (transactions == null || transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
            drainSoon(); // committed already (auto-commit), or the caller's own connection commits it
            return;
        }
        if (transactions.getResource(DRAIN_REGISTERED) == null) {
            transactions.putResource(DRAIN_REGISTERED, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    // Rolled back: the rows are gone with the transaction, nothing to send.
                    if (status == Status.STATUS_COMMITTED) {
                        drainSoon();
                    }
                }
            });
        }
    }

    /** Asks for a drain now (see {@link OutboxDrains#request()}). */
    void drainSoon() {
        if (!stopped) {
            drains.request();
        }
    }

    private void purge() {
        try {
            int purged = relay.purgeDelivered();
            LOG.fine(() -> "Outbox: purged " + purged + " delivered entries");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The outbox relay could not purge delivered entries", e);
        }
    }

    private static <T> T lookup(String name, Class<T> type, String context) {
        Object found;
        try {
            found = InitialContext.doLookup(name);
        } catch (NamingException e) {
            throw new MailConfigurationException(
                    context + " which cannot be looked up: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!type.isInstance(found)) {
            throw new MailConfigurationException(
                    context + " which is a " + found.getClass().getName() + ", not a " + type.getSimpleName());
        }
        return type.cast(found);
    }

    private static <T> T optionalLookup(String name, Class<T> type) {
        try {
            Object found = InitialContext.doLookup(name);
            return type.isInstance(found) ? type.cast(found) : null;
        } catch (NamingException e) {
            return null;
        }
    }
}
