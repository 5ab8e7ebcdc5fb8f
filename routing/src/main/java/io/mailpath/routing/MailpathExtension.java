package io.mailpath.routing;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.Transport;
import io.mailpath.TransportName;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers one bean per transport on the class path ({@code @Inject @TransportName("smtp") MailTransport}) and checks
 * the configuration when the application is deployed, so that a missing key fails the deployment, not the first send.
 */
public class MailpathExtension implements Extension {
    private static final Logger LOG = Logger.getLogger(MailpathExtension.class.getName());

    /** Every stream's setup by name, the unnamed stream's first; built on first use. */
    private Map<String, StreamRoute> streams;

    /** The streams named by {@code @MailStream} injection points, checked when the application is deployed. */
    private final Set<String> injectedStreams = ConcurrentHashMap.newKeySet();

    void collectStreams(@Observes ProcessInjectionPoint<?, ?> pip) {
        for (Annotation q : pip.getInjectionPoint().getQualifiers()) {
            if (q instanceof MailStream stream) {
                injectedStreams.add(stream.value());
            }
        }
    }

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
        Map<String, StreamRoute> all;
        try {
            all = streams();
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(new MailConfigurationException("Mailpath configuration: " + e.getMessage(), e));
            return;
        }
        for (StreamRoute stream : all.values()) {
            try {
                validate(stream);
            } catch (MailConfigurationException e) {
                String which = stream.isDefault() ? "" : "stream '" + stream.name() + "': ";
                adv.addDeploymentProblem(
                        new MailConfigurationException("Mailpath configuration: " + which + e.getMessage(), e));
            }
        }
        for (String injected : injectedStreams) {
            if (!all.containsKey(injected)) {
                adv.addDeploymentProblem(new MailConfigurationException(unknownStream(injected, all.keySet())));
            }
        }
    }

    private static void validate(StreamRoute stream) {
        RoutingConfig routing = stream.routing();
        List<String> order = routing.order();
        routing.failoverPolicy();
        routing.fromDomains();
        stream.circuit(order.get(0));
        for (int i = 0; i < order.size(); i++) {
            Class<?> path = i == 0 ? PrimaryPath.class : SecondaryPath.class;
            // A named stream's first transport is guarded by PrimaryPath.sendInStream, with keys of its own.
            String method = i == 0 && !stream.isDefault() ? "sendInStream" : "send";
            checkTimeouts(routing, stream.registry().get(order.get(i)), path, method);
        }
        LOG.info(() -> "Mailpath " + (stream.isDefault() ? "" : "stream '" + stream.name() + "' ") + "sends through "
                + String.join(", then ", order));
    }

    /**
     * A path's Fault Tolerance timeout must outlast its transport's own timeouts: otherwise Fault Tolerance gives up
     * on attempts that the transport would still have seen through, and a message the server accepted is reported as
     * unanswered.
     */
    private static void checkTimeouts(RoutingConfig routing, DirectTransport transport, Class<?> path, String method) {
        long annotated = path == PrimaryPath.class ? PrimaryPath.TIMEOUT_MS : SecondaryPath.TIMEOUT_MS;
        Optional<Duration> guard = routing.faultToleranceTimeout(path, method, annotated);
        Optional<Duration> own = transport.requestTimeout();
        if (guard.isPresent() && own.isPresent() && guard.get().compareTo(own.get()) <= 0) {
            throw new MailConfigurationException(path.getName() + "/" + method + "/Timeout/value is "
                    + guard.get().toMillis()
                    + " ms, but transport '" + transport.name() + "' may take up to "
                    + own.get().toMillis()
                    + " ms for one request by its own timeouts (mailpath." + transport.name()
                    + ".*-timeout-ms): raise the Fault Tolerance timeout or lower the transport's");
        }
    }

    void close(@Observes BeforeShutdown shutdown) {
        Map<String, StreamRoute> started;
        synchronized (this) {
            started = streams;
        }
        if (started != null) {
            // A plain loop: see TransportRegistry.closeAll, which never throws.
            for (StreamRoute stream : started.values()) {
                stream.registry().closeAll();
            }
        }
    }

    /** The unnamed stream's routing keys, read from the application's MicroProfile Config. */
    RoutingConfig routing() {
        return stream(MailStream.DEFAULT).routing();
    }

    /** The unnamed stream's transports, built on first use and closed when it stops. */
    TransportRegistry registry() {
        return stream(MailStream.DEFAULT).registry();
    }

    /**
     * One stream's setup: {@value MailStream#DEFAULT} for the unnamed one.
     *
     * @throws MailConfigurationException when no such stream is configured
     */
    StreamRoute stream(String name) {
        Map<String, StreamRoute> all = streams();
        StreamRoute stream = all.get(name);
        if (stream == null) {
            throw new MailConfigurationException(unknownStream(name, all.keySet()));
        }
        return stream;
    }

    /** The names of every stream, the unnamed one's first. */
    public Set<String> streamNames() {
        return streams().keySet();
    }

    private static String unknownStream(String name, Set<String> known) {
        return "No Mailpath stream named '" + name + "': add it to " + RoutingConfig.STREAMS
                + " and configure it under mailpath.stream." + name + ". (configured: " + String.join(", ", known)
                + ")";
    }

    private synchronized Map<String, StreamRoute> streams() {
        if (streams == null) {
            start();
        }
        return streams;
    }

    /**
     * Reads the application's configuration; first called while it is deployed, when the thread's class loader is
     * the application's. The extension holds what the beans share: servers differ in which beans an extension's
     * bean manager sees (Payara's does not see those of its own archive), but every bean can inject the extension.
     */
    private void start() {
        Config config = ConfigProvider.getConfig();
        ConfigReader reader = ConfigReader.of(config);
        RoutingConfig unnamed = new RoutingConfig(reader);
        Map<String, StreamRoute> all = new LinkedHashMap<>();
        List<String> named = unnamed.streams();
        // The unnamed stream's asynchronous sends are as they always were: no lane.
        all.put(MailStream.DEFAULT, new StreamRoute(MailStream.DEFAULT, unnamed, TransportRegistry.of(config), 0));
        for (String name : named) {
            ConfigReader own = reader.inStream(name);
            RoutingConfig routing = new RoutingConfig(own);
            all.put(name, new StreamRoute(name, routing, TransportRegistry.of(name, own), routing.asyncConcurrency()));
        }
        checkNoStrayStreamKeys(reader, all.keySet());
        streams = Collections.unmodifiableMap(all);
    }

    /**
     * A key under {@code mailpath.stream.<name>.} for a stream not listed in {@code mailpath.streams} is a mistake
     * (a typo would otherwise leave a stream on the shared keys, its own API key unused): it fails the deployment.
     */
    private static void checkNoStrayStreamKeys(ConfigReader reader, Set<String> known) {
        String prefix = ConfigKey.PREFIX + "stream.";
        for (String key : reader.startingWith(prefix).keySet()) {
            String rest = key.substring(prefix.length());
            int dot = rest.indexOf('.');
            String stream = dot < 0 ? rest : rest.substring(0, dot);
            if (!known.contains(stream) || stream.equals(MailStream.DEFAULT)) {
                throw new MailConfigurationException(key + " configures stream '" + stream + "', which "
                        + RoutingConfig.STREAMS + " does not list (" + String.join(", ", known) + ")");
            }
        }
    }
}
