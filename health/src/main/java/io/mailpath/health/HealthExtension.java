package io.mailpath.health;

import io.mailpath.MailConfigurationException;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.spi.config.ConfigReader;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Checks the health keys when the application is deployed, so that a mistake fails the deployment, not a probe. */
public class HealthExtension implements Extension {
    void validate(@Observes AfterDeploymentValidation adv) {
        try {
            Config config = ConfigProvider.getConfig();
            HealthSettings.failureWindow(config, Optional.empty());
            HealthSettings.requiredStreams(config);
            ConfigReader shared = ConfigReader.of(config);
            for (String stream : shared.optional(RoutingConfig.STREAMS_KEY).orElse(List.of())) {
                HealthSettings.failureWindow(shared.inStream(stream), Optional.empty());
            }
        } catch (MailConfigurationException e) {
            adv.addDeploymentProblem(
                    new MailConfigurationException("Mailpath health configuration: " + e.getMessage(), e));
        }
    }
}
