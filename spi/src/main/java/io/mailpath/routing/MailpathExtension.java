package io.mailpath.routing;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailTransport;
import io.mailpath.Transport;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;
import java.util.logging.Logger;

/**
 * Registers one bean per transport on the class path ({@code @Inject @Transport("smtp") MailTransport}) and checks
 * the configuration when the application is deployed, so that a missing key fails the deployment, not the first send.
 */
public class MailpathExtension implements Extension {
    private static final Logger LOG = Logger.getLogger(MailpathExtension.class.getName());

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
                    .types(MailTransport.class, io.mailpath.spi.Transport.class, Object.class)
                    .qualifiers(Transport.Literal.of(name), Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .produceWith(instance ->
                            instance.select(TransportRegistry.class).get().get(name));
        }
        LOG.fine(() -> "Mailpath transports on the class path: "
                + providers.stream().map(TransportProvider::name).toList());
    }

    void validate(@Observes AfterDeploymentValidation adv, BeanManager bm) {
        try {
            RoutingConfig routing = reference(bm, RoutingConfig.class);
            TransportRegistry registry = reference(bm, TransportRegistry.class);
            List<String> order = routing.order();
            routing.failoverOnAuthentication();
            routing.failoverOnUncertain();
            routing.rateLimitMaxWait();
            for (String name : order) {
                registry.get(name);
            }
            LOG.info(() -> "Mailpath sends through " + String.join(", then ", order));
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(new MailConfigurationException("Mailpath configuration: " + e.getMessage(), e));
        }
    }

    private static <T> T reference(BeanManager bm, Class<T> type) {
        Bean<?> bean = bm.resolve(bm.getBeans(type));
        return type.cast(bm.getReference(bean, type, bm.createCreationalContext(bean)));
    }
}
