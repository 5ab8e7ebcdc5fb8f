package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.routing.RoutingConfig;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks the outbox's keys when the application is deployed: an invalid value, a {@code MailOutbox} injected while
 * {@value OutboxConfiguration#DATASOURCE} is unset, or a relay whose lease does not outlast the longest routed send
 * ({@link RoutedSendBound}), fails the deployment naming the keys. The data source itself is
 * looked up when the application starts ({@link OutboxRuntime}), once the application's JNDI names are bound.
 */
public class OutboxExtension implements Extension {
    /** The code that starts the message of a lease shorter than the longest routed send. */
    static final String LEASE_CODE = "MAILPATH-OUTBOX-LEASE";

    private static final Logger LOG = Logger.getLogger(OutboxExtension.class.getName());

    private String injectedAt;

    void noteInjection(@Observes ProcessInjectionPoint<?, MailOutbox> pip) {
        if (injectedAt == null) {
            injectedAt = pip.getInjectionPoint().getMember().getDeclaringClass().getName();
        }
    }

    /**
     * The shortest lease that outlasts a send that takes {@code worstCase}: a tenth more, and at least
     * {@value #MIN_MARGIN_MS} ms more, for the clock skew between servers and the claim and recording around the send.
     */
    static Duration requiredLease(Duration worstCase) {
        return worstCase.plus(max(worstCase.dividedBy(10), Duration.ofMillis(MIN_MARGIN_MS)));
    }

    /** The least margin a lease keeps over the longest send: {@value} ms. */
    static final long MIN_MARGIN_MS = 5_000;

    /**
     * A relay whose lease runs out while a send is still under way lets another relay send the entry again: the
     * lease must outlast the longest routed send, so that only a relay that died makes a second copy.
     */
    static void checkLease(Duration lease, RoutedSendBound bound) {
        String change = " Raise " + OutboxConfiguration.LEASE + ", or lower the routing's Fault Tolerance settings"
                + " (io.mailpath.routing.PrimaryPath/send/Timeout/value, .../Retry/maxRetries, .../Retry/maxDuration,"
                + " the same for io.mailpath.routing.SecondaryPath/send, " + RoutingConfig.RATE_LIMIT_MAX_WAIT + ", "
                + RoutingConfig.TRANSPORTS + "; for a named stream .../PrimaryPath/sendInStream and its own"
                + " mailpath.stream.<name>.* keys), or run no relay here (" + OutboxConfiguration.RELAY_ENABLED
                + "=false).";
        if (bound.worstCase().isEmpty()) {
            throw new MailConfigurationException(LEASE_CODE + ": a routed send has no upper bound, so no lease ("
                    + OutboxConfiguration.LEASE + " " + lease.toMillis() + " ms) can outlast it: "
                    + bound.explanation() + ". Give both paths a Fault Tolerance timeout"
                    + " (io.mailpath.routing.PrimaryPath/send/Timeout/enabled=true and a value above 0, the same for"
                    + " SecondaryPath), or run no relay here (" + OutboxConfiguration.RELAY_ENABLED + "=false).");
        }
        Duration worstCase = bound.worstCase().get();
        Duration required = requiredLease(worstCase);
        if (lease.compareTo(required) < 0) {
            throw new MailConfigurationException(LEASE_CODE + ": " + OutboxConfiguration.LEASE + " is "
                    + lease.toMillis() + " ms, but one routed send may take up to " + worstCase.toMillis() + " ms ("
                    + bound.explanation() + "); with a margin for clock skew the lease must be at least "
                    + required.toMillis() + " ms, or a send still under way is sent again by another relay." + change);
        }
    }

    /** Whether the routing (whose Fault Tolerance settings bound a send) is deployed with the application. */
    static boolean routingDeployed() {
        try {
            Class.forName(RoutedSendBound.ROUTING_PATH, false, OutboxExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.fine("No Mailpath routing: the outbox lease is not checked against its Fault Tolerance settings");
            return false;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    void validate(@Observes AfterDeploymentValidation adv) {
        try {
            Config config = ConfigProvider.getConfig();
            Optional<OutboxConfiguration> configured = OutboxConfiguration.read(config);
            if (configured.isEmpty() && injectedAt != null) {
                throw new MailConfigurationException(injectedAt + " injects MailOutbox, which needs "
                        + OutboxConfiguration.DATASOURCE + " (the JNDI name of the application's DataSource)");
            }
            if (configured.isPresent() && configured.get().relayEnabled() && routingDeployed()) {
                checkLease(configured.get().settings().lease(), RoutedSendBound.of(config));
            }
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(
                    new MailConfigurationException("Mailpath outbox configuration: " + e.getMessage(), e));
        }
    }
}
