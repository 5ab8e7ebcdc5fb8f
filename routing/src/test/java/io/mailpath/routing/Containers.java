package io.mailpath.routing;

import io.mailpath.testing.LiveConfigSource;
import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A container with Mailpath's routing that a test starts and stops itself, for what {@code @MailpathTest} cannot
 * show: a deployment that must fail, an application stopping while it sends.
 */
public final class Containers {
    private Containers() {}

    /** A started container; closing it stops the container and releases its configuration. */
    public record Running(WeldContainer container, Config config) implements AutoCloseable {
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

    /** Starts a container with this configuration for the thread's class loader; throws what the deployment threw. */
    public static Running start(Map<String, String> values) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        resolver.releaseConfig(resolver.getConfig(loader));
        Config config = resolver.getBuilder()
                .addDefaultSources()
                .withSources(new LiveConfigSource("test container", 1000, values))
                .build();
        resolver.registerConfig(config, loader);
        Weld weld = new Weld()
                .disableDiscovery()
                .addExtension(new MailpathExtension())
                .addExtension(new FaultToleranceExtension())
                .addExtension(new ConfigExtension())
                .addPackage(false, MailpathExtension.class);
        try {
            return new Running(weld.initialize(), config);
        } catch (RuntimeException e) {
            resolver.releaseConfig(config);
            throw e;
        }
    }
}
