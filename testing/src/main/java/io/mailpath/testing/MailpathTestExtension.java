package io.mailpath.testing;

import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.auto.WeldJunit5AutoExtension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link MailpathTest}: weld-junit's automatic Weld SE container, plus Mailpath's CDI extensions
 * and their beans, SmallRye Fault Tolerance and SmallRye Config, and the test class's configuration registered for
 * the test's class loader while it runs.
 */
public class MailpathTestExtension extends WeldJunit5AutoExtension {
    /** The lock that keeps {@code @MailpathTest} classes apart: they share the mailboxes and the class loader's Config. */
    public static final String SHARED_STATE = "io.mailpath.testing";

    /** Above every default MicroProfile Config source (system properties are 400). */
    private static final int TEST_ORDINAL = 1000;

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MailpathTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(Config.class) != null) {
            // A nested class: the enclosing class registered the configuration, and releases it.
            super.beforeAll(context);
            return;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        // A class loader holds one Config; replace whatever an earlier test class left.
        resolver.releaseConfig(resolver.getConfig(loader));
        Config config = resolver.getBuilder()
                .addDefaultSources()
                .addDiscoveredSources()
                .addDiscoveredConverters()
                .withSources(new LiveConfigSource("@MailpathTest config", TEST_ORDINAL, values(context)))
                .build();
        resolver.registerConfig(config, loader);
        context.getStore(NAMESPACE).put(Config.class, config);
        super.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Mailbox.clearAll();
        super.beforeEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        super.afterAll(context);
        // Only the class that registered the configuration finds it in its own store.
        Config config = context.getStore(NAMESPACE).remove(Config.class, Config.class);
        if (config != null) {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }

    @Override
    protected void weldInit(ExtensionContext context, Weld weld, WeldInitiator.Builder builder) {
        super.weldInit(context, weld, builder);
        weld.addExtension(new FaultToleranceExtension());
        weld.addExtension(new ConfigExtension());
        MailpathDeployment.addMailpathModules(weld);
    }

    private static Map<String, String> values(ExtensionContext context) {
        Map<String, String> values = new HashMap<>();
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MailpathTest.class)
                .ifPresent(a -> {
                    for (String entry : a.config()) {
                        int eq = entry.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException(
                                    "@MailpathTest config entries are key=value, not '" + entry + "'");
                        }
                        values.put(
                                entry.substring(0, eq).trim(),
                                entry.substring(eq + 1).trim());
                    }
                });
        return values;
    }
}
