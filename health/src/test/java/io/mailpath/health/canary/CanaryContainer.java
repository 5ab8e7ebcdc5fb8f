package io.mailpath.health.canary;

import io.mailpath.health.HealthExtension;
import io.mailpath.health.MailpathReadinessCheck;
import io.mailpath.routing.MailpathExtension;
import io.mailpath.testing.LiveConfigSource;
import io.mailpath.testing.Mailbox;
import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A container the test starts itself, for what {@code @MailpathTest} cannot show: a deployment that must fail, and an
 * application whose class loader has no webhooks module. Closing it stops the container and releases its
 * configuration.
 */
record CanaryContainer(WeldContainer container, Config config) implements AutoCloseable {
    /** Starts a container with this configuration; {@code application} stands for the application's class loader. */
    static CanaryContainer start(Map<String, String> values, ClassLoader application) {
        Mailbox.clearAll();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        resolver.releaseConfig(resolver.getConfig(loader));
        Config config = resolver.getBuilder()
                .addDefaultSources()
                .withSources(new LiveConfigSource("canary test", 1000, values))
                .build();
        resolver.registerConfig(config, loader);
        Weld weld = new Weld()
                .disableDiscovery()
                .addExtension(new MailpathExtension())
                .addExtension(new FaultToleranceExtension())
                .addExtension(new ConfigExtension())
                .addExtension(new HealthExtension())
                .addExtension(new CanaryExtension(application))
                .addPackage(false, MailpathExtension.class)
                .addPackage(false, MailpathReadinessCheck.class)
                .addPackage(false, Canary.class)
                .addBeanClass(VirtualTimeScheduler.class)
                .addBeanClass(CanaryEvents.class);
        try {
            return new CanaryContainer(weld.initialize(), config);
        } catch (RuntimeException e) {
            resolver.releaseConfig(config);
            throw e;
        }
    }

    <T> T bean(Class<T> type, java.lang.annotation.Annotation... qualifiers) {
        return container.select(type, qualifiers).get();
    }

    @Override
    public void close() {
        try {
            if (container.isRunning()) {
                container.shutdown();
            }
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }
}
