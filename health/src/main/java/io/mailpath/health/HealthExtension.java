package io.mailpath.health;

import io.mailpath.MailConfigurationException;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** Checks the health keys when the application is deployed, so that a mistake fails the deployment, not a probe. */
public class HealthExtension implements Extension {
    void validate(@Observes AfterDeploymentValidation adv) {
        try {
            HealthSettings.failureWindow(ConfigProvider.getConfig(), Optional.empty());
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(
                    new MailConfigurationException("Mailpath health configuration: " + e.getMessage(), e));
        }
    }
}
