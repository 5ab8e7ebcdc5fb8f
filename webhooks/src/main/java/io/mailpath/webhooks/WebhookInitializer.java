package io.mailpath.webhooks;

import io.mailpath.MailConfigurationException;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers the webhook receiver in every web application that has this jar, as its {@code mailpath.webhooks.*}
 * configuration says: a servlet container initializer, so that it works alike on every Servlet 6 server and the
 * application writes no code. A missing or wrong key throws here, which fails the application's deployment.
 */
public final class WebhookInitializer implements ServletContainerInitializer {
    private static final Logger LOG = Logger.getLogger(WebhookInitializer.class.getName());
    static final String SERVLET_NAME = "mailpath-webhooks";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        WebhookSettings settings;
        try {
            settings = WebhookSettings.read(ConfigProvider.getConfig(context.getClassLoader()));
        } catch (MailConfigurationException e) {
            // Servers report an initializer's exception in their own way (Liberty only as a first-failure incident):
            // this line says it the same on each.
            LOG.severe(e.getMessage());
            throw e;
        }
        if (!settings.enabled) {
            LOG.info("Mailpath webhooks: the receiver is disabled (" + WebhookSettings.ENABLED + "=false)");
            return;
        }
        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET_NAME, new WebhookServlet(settings));
        if (servlet == null) {
            throw new MailConfigurationException(
                    "Mailpath configuration: the application already has a servlet named " + SERVLET_NAME);
        }
        Set<String> taken = servlet.addMapping(settings.path);
        if (!taken.isEmpty()) {
            throw new MailConfigurationException("Mailpath configuration: " + WebhookSettings.PATH + "=" + settings.path
                    + " is already mapped to another servlet of the application");
        }
        LOG.info("Mailpath webhooks: receiving Mailtarget webhooks at " + context.getContextPath() + settings.path
                + " (HTTP Basic, at most " + settings.maxBytes + " bytes a batch)");
    }
}
