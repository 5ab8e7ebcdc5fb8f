package io.mailpath.health.canary;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailTransport;
import io.mailpath.TransportName;
import io.mailpath.health.canary.webhooks.CanaryDeliveryObserver;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.spi.config.ConfigReader;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Watches the canary's delivery events only where the webhook receiver's {@code DeliveryEvent} can be loaded (the
 * application has {@code mailpath-webhooks}): the observer naming that type is added as a bean then and only then, and
 * nothing else of the canary names it. Checks the canary's keys when the application is deployed, each named stream's
 * through its overlay too.
 */
public class CanaryExtension implements Extension {
    static final String DELIVERY_EVENT_CLASS = "io.mailpath.webhooks.DeliveryEvent";

    private final ClassLoader application;

    private boolean deliveryEventsObserved;

    public CanaryExtension() {
        this(CanaryExtension.class.getClassLoader());
    }

    /** With the loader that stands for the application's: a test's, to leave the webhooks module out. */
    CanaryExtension(ClassLoader application) {
        this.application = application;
    }

    void observeDeliveries(@Observes BeforeBeanDiscovery bbd) {
        deliveryEventsObserved = loadable(DELIVERY_EVENT_CLASS, application);
        if (deliveryEventsObserved) {
            bbd.addAnnotatedType(CanaryDeliveryObserver.class, CanaryDeliveryObserver.class.getName());
        }
    }

    void validate(@Observes AfterDeploymentValidation adv, BeanManager beans) {
        try {
            ConfigReader shared = ConfigReader.of(ConfigProvider.getConfig());
            check(CanarySettings.read(shared), beans, "");
            for (String stream : shared.optional(RoutingConfig.STREAMS_KEY).orElse(List.of())) {
                check(CanarySettings.read(shared.inStream(stream)), beans, "stream '" + stream + "': ");
            }
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(
                    new MailConfigurationException("Mailpath canary configuration: " + e.getMessage(), e));
        }
    }

    /** Every path a canary is told to go through is a transport on the class path. */
    private static void check(Optional<CanarySettings> settings, BeanManager beans, String which) {
        if (settings.isPresent()) {
            for (String path : settings.get().paths()) {
                // The transport beans stand for every provider on the class path; a stream builds its own instances.
                if (beans.getBeans(MailTransport.class, TransportName.Literal.of(path))
                        .isEmpty()) {
                    throw new MailConfigurationException(which + CanarySettings.PATHS + " names '" + path
                            + "', which is no transport on the class path");
                }
            }
        }
    }

    /** Whether the canary sees delivery events: {@code mailpath-webhooks} is part of the application. */
    public boolean deliveryEventsObserved() {
        return deliveryEventsObserved;
    }

    /** Whether this class loader (the application's, in a server) can load the class. */
    static boolean loadable(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
