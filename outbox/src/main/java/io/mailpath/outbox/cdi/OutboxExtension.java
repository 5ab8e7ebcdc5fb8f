package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.outbox.MailOutbox;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks the outbox's keys when the application is deployed: an invalid value, or a {@code MailOutbox} injected while
 * {@value OutboxConfiguration#DATASOURCE} is unset, fails the deployment naming the key. The data source itself is
 * looked up when the application starts ({@link OutboxRuntime}), once the application's JNDI names are bound.
 */
public class OutboxExtension implements Extension {
    private String injectedAt;

    void noteInjection(@Observes ProcessInjectionPoint<?, MailOutbox> pip) {
        if (injectedAt == null) {
            injectedAt = pip.getInjectionPoint().getMember().getDeclaringClass().getName();
        }
    }

    void validate(@Observes AfterDeploymentValidation adv) {
        try {
            Optional<OutboxConfiguration> configured = OutboxConfiguration.read(ConfigProvider.getConfig());
            if (configured.isEmpty() && injectedAt != null) {
                throw new MailConfigurationException(injectedAt + " injects MailOutbox, which needs "
                        + OutboxConfiguration.DATASOURCE + " (the JNDI name of the application's DataSource)");
            }
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(
                    new MailConfigurationException("Mailpath outbox configuration: " + e.getMessage(), e));
        }
    }
}
