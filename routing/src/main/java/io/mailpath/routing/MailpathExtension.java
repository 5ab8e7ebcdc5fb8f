package io.mailpath.routing;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailTransport;
import io.mailpath.Transport;
import io.mailpath.TransportName;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers one bean per transport on the class path ({@code @Inject @TransportName("smtp") MailTransport}) and checks
 * the configuration when the application is deployed, so that a missing key fails the deployment, not the first send.
 */
public class MailpathExtension implements Extension {
    private static final Logger LOG = Logger.getLogger(MailpathExtension.class.getName());

    private RoutingConfig routing;
    private TransportRegistry registry;

    @SuppressWarnings("removal") // the deprecated @Transport qualifier keeps 0.1.0's injection points working
    void registerTransports(@Observes AfterBeanDiscovery abd) {
        List<TransportProvider> providers;
        try {
            providers = Transports.providers();
        } catch (MailConfigurationException e) {
            abd.addDefinitionError(e);
            return;
        }
        for (TransportProvider p : providers) {
            String name = p.name();
            abd.addBean()
                    .beanClass(MailpathExtension.class)
                    .types(MailTransport.class, DirectTransport.class, Object.class)
                    .qualifiers(TransportName.Literal.of(name), Transport.Literal.of(name), Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .produceWith(instance -> registry().get(name));
        }
        LOG.fine(() -> "Mailpath transports on the class path: "
                + providers.stream().map(TransportProvider::name).toList());
    }

    /** Checks the configuration and builds the configured transports, so that a mistake fails the deployment. */
    void validate(@Observes AfterDeploymentValidation adv) {
        try {
            RoutingConfig routing = routing();
            List<String> order = routing.order();
            routing.failoverPolicy();
            for (int i = 0; i < order.size(); i++) {
                checkTimeouts(routing, registry().get(order.get(i)), i == 0 ? PrimaryPath.class : SecondaryPath.class);
            }
            LOG.info(() -> "Mailpath sends through " + String.join(", then ", order));
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(new MailConfigurationException("Mailpath configuration: " + e.getMessage(), e));
        }
    }

    /**
     * A path's Fault Tolerance timeout must outlast its transport's own timeouts: otherwise Fault Tolerance gives up
     * on attempts that the transport would still have seen through, and a message the server accepted is reported as
     * unanswered.
     */
    private static void checkTimeouts(RoutingConfig routing, DirectTransport transport, Class<?> path) {
        long annotated = path == PrimaryPath.class ? PrimaryPath.TIMEOUT_MS : SecondaryPath.TIMEOUT_MS;
        Optional<Duration> guard = routing.faultToleranceTimeout(path, annotated);
        Optional<Duration> own = transport.requestTimeout();
        if (guard.isPresent() && own.isPresent() && guard.get().compareTo(own.get()) <= 0) {
            throw new MailConfigurationException(
                    path.getName() + "/send/Timeout/value is " + guard.get().toMillis()
                            + " ms, but transport '" + transport.name() + "' may take up to "
                            + own.get().toMillis()
                            + " ms for one request by its own timeouts (mailpath." + transport.name()
                            + ".*-timeout-ms): raise the Fault Tolerance timeout or lower the transport's");
        }
    }

    void close(@Observes BeforeShutdown shutdown) {
        TransportRegistry r;
        synchronized (this) {
            r = registry;
        }
        if (r != null) {
            r.closeAll();
        }
    }

    /** The routing keys, read from the application's MicroProfile Config. */
    synchronized RoutingConfig routing() {
        if (routing == null) {
            start();
        }
        return routing;
    }

    /** The application's transports, built on first use and closed when it stops. */
    synchronized TransportRegistry registry() {
        if (registry == null) {
            start();
        }
        return registry;
    }

    /**
     * Reads the application's configuration; first called while it is deployed, when the thread's class loader is
     * the application's. The extension holds what the beans share: servers differ in which beans an extension's
     * bean manager sees (Payara's does not see those of its own archive), but every bean can inject the extension.
     */
    private void start() {
        Config config = ConfigProvider.getConfig();
        routing = new RoutingConfig(config);
        registry = new TransportRegistry(config);
    }
}
