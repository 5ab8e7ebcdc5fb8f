package io.mailpath.testing;

import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import jakarta.enterprise.inject.spi.Extension;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A deployment a test starts and stops itself, for what {@link MailpathTest} cannot show: a deployment that must fail
 * (its configuration is wrong), or several deployments with different configurations in one test. It holds what
 * {@code @MailpathTest} holds (Mailpath's modules found on the class path, Fault Tolerance, Config) plus the test's
 * own beans; closing it stops the container and releases its configuration.
 *
 * <pre>
 * try (MailpathDeployment app = MailpathDeployment.start(Map.of("mailpath.transports", "memory"),
 *         weld -&gt; weld.addBeanClasses(OrderService.class))) {
 *     app.bean(OrderService.class).placeOrder();
 * }
 * </pre>
 *
 * Like {@code @MailpathTest}, it registers its configuration for the thread's class loader: run such tests under
 * {@code @ResourceLock(MailpathTestExtension.SHARED_STATE)}.
 */
public final class MailpathDeployment implements AutoCloseable {
    private final WeldContainer container;
    private final Config config;

    private MailpathDeployment(WeldContainer container, Config config) {
        this.container = container;
        this.config = config;
    }

    /**
     * Deploys with this configuration (ordinal 1000, above the usual sources). The {@link Mailbox}es are left as the
     * test prepared them.
     *
     * @param application adds the application's beans, alternatives or extensions
     * @throws RuntimeException what the deployment threw (a {@code DeploymentException} for a problem found while
     *     validating it)
     */
    public static MailpathDeployment start(Map<String, String> values, UnaryOperator<Weld> application) {
        return start(values, application, new Extension[0]);
    }

    /**
     * Deploys as {@link #start(Map, UnaryOperator)} does, with these instances of Mailpath's extensions in place of
     * those the class path registers: an extension built for the test, e.g. with a class loader that stands for an
     * application without some module.
     *
     * @param values the configuration
     * @param application adds the application's beans, alternatives or extensions
     * @param instead the extensions to use instead of the registered ones of their classes
     * @return the running deployment
     * @throws RuntimeException what the deployment threw
     */
    public static MailpathDeployment start(
            Map<String, String> values, UnaryOperator<Weld> application, Extension... instead) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        resolver.releaseConfig(resolver.getConfig(loader));
        Config config = resolver.getBuilder()
                .addDefaultSources()
                .withSources(new LiveConfigSource("MailpathDeployment config", 1000, values))
                .build();
        resolver.registerConfig(config, loader);
        Weld weld = new Weld()
                .disableDiscovery()
                .addExtension(new FaultToleranceExtension())
                .addExtension(new ConfigExtension());
        addMailpathModules(weld, instead);
        try {
            return new MailpathDeployment(application.apply(weld).initialize(), config);
        } catch (RuntimeException e) {
            resolver.releaseConfig(config);
            throw e;
        }
    }

    /**
     * Mailpath's modules register their CDI extension as a service; the extension's package holds the module's beans
     * (routing: the router and the Fault Tolerance beans). Found by name, so that this kit does not depend on the
     * modules it tests; an extension in {@code instead} replaces the registered one of its class.
     */
    static void addMailpathModules(Weld weld, Extension... instead) {
        for (Extension e : ServiceLoader.load(Extension.class)) {
            boolean replaced = Arrays.stream(instead).anyMatch(i -> i.getClass() == e.getClass());
            if (e.getClass().getName().startsWith("io.mailpath.") && !replaced) {
                weld.addExtension(e);
                weld.addPackage(false, e.getClass());
            }
        }
        for (Extension e : instead) {
            weld.addExtension(e);
            weld.addPackage(false, e.getClass());
        }
    }

    /** Whether the container is running (until {@link #close()}). */
    public boolean running() {
        return container.isRunning();
    }

    /** The bean of this type and qualifiers. */
    public <T> T bean(Class<T> type, java.lang.annotation.Annotation... qualifiers) {
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
