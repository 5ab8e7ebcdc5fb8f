package io.mailpath.spi;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.config.ConfigReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.Config;

/**
 * Finds transport providers with {@link ServiceLoader}: through the thread context class loader first (the
 * application's, in a container), then through this module's own. Two providers with one name are an error.
 */
public final class Transports {
    /** The artifacts that hold Mailpath's own transports, by transport name, for the error when one is missing. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "api", "io.mailpath:mailpath-transport-api",
            "smtp", "io.mailpath:mailpath-transport-smtp",
            "memory", "io.mailpath:mailpath-testing",
            "memory-backup", "io.mailpath:mailpath-testing");

    private Transports() {}

    /** Every provider found, highest priority first. */
    public static List<TransportProvider> providers() {
        return providers(Thread.currentThread().getContextClassLoader());
    }

    /** Every provider visible from a class loader (then from this module's), highest priority first. */
    public static List<TransportProvider> providers(ClassLoader loader) {
        Map<String, TransportProvider> byName = new LinkedHashMap<>();
        List<ClassLoader> loaders = new ArrayList<>();
        if (loader != null) {
            loaders.add(loader);
        }
        if (Transports.class.getClassLoader() != loader) {
            loaders.add(Transports.class.getClassLoader());
        }
        for (ClassLoader cl : loaders) {
            try {
                for (TransportProvider p : ServiceLoader.load(TransportProvider.class, cl)) {
                    TransportProvider seen = byName.get(p.name());
                    if (seen == null) {
                        byName.put(p.name(), p);
                    } else if (!seen.getClass().getName().equals(p.getClass().getName())) {
                        throw new MailConfigurationException("Two Mailpath transports are named '" + p.name() + "': "
                                + seen.getClass().getName() + " and "
                                + p.getClass().getName()
                                + "; remove one from the application");
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new MailConfigurationException("A Mailpath transport could not be loaded: " + e.getMessage(), e);
            }
        }
        List<TransportProvider> result = new ArrayList<>(byName.values());
        result.sort(
                Comparator.comparingInt(TransportProvider::priority).reversed().thenComparing(TransportProvider::name));
        return Collections.unmodifiableList(result);
    }

    /** The provider of one transport, if present. */
    public static Optional<TransportProvider> find(String name) {
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The provider of one transport.
     *
     * @throws MailConfigurationException naming the artifact to add when it is missing
     */
    public static TransportProvider provider(String name) {
        return find(name).orElseThrow(() -> new MailConfigurationException(missing(name)));
    }

    /** Builds one transport from a MicroProfile Config. */
    public static DirectTransport create(String name, Config config) {
        return provider(name).create(TransportConfig.of(name, config));
    }

    /**
     * Builds one transport from plain properties ({@code mailpath.<name>.*}), without a container or a MicroProfile
     * Config implementation.
     */
    public static DirectTransport create(String name, Map<String, String> properties) {
        return provider(name).create(TransportConfig.of(name, ConfigReader.of(properties)));
    }

    /** Why a transport of that name cannot be used: what is on the class path, and the artifact to add. */
    public static String missing(String name) {
        String artifact = ARTIFACTS.get(name);
        List<String> present = providers().stream().map(TransportProvider::name).toList();
        return "No Mailpath transport named '" + name + "' is on the class path"
                + (artifact != null ? ": add " + artifact + " to the application" : "")
                + " (found: " + (present.isEmpty() ? "none" : String.join(", ", present)) + ")";
    }

    /** Why no transport can be used at all: the artifacts that hold Mailpath's sending transports. */
    public static String noneFound() {
        return "No Mailpath transport is on the class path: add " + ARTIFACTS.get("api") + " or "
                + ARTIFACTS.get("smtp") + " to the application";
    }
}
