package io.mailpath.spi;

import io.mailpath.MailConfigurationException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One transport's configuration: the MicroProfile Config keys under {@code mailpath.<transport>.}. Values are read
 * from the {@link Config} each time they are asked for, so a changed value (a rotated key) applies at once.
 *
 * <p>Errors name the key, never its value.
 */
public final class TransportConfig {
    /** The prefix of every Mailpath key. */
    public static final String PREFIX = "mailpath.";

    private final String transport;
    private final String prefix;
    private final Config config;

    private TransportConfig(String transport, Config config) {
        this.transport = transport;
        this.prefix = PREFIX + transport + ".";
        this.config = config;
    }

    /** The configuration of one transport, read from a MicroProfile Config. */
    public static TransportConfig of(String transport, Config config) {
        return new TransportConfig(transport, config);
    }

    /**
     * A MicroProfile Config holding just these properties, for use without a container (tests, benchmarks, Java SE).
     * It needs a MicroProfile Config implementation on the class path, such as SmallRye Config.
     */
    public static Config configOf(Map<String, String> properties) {
        Map<String, String> copy = Map.copyOf(properties);
        ConfigSource source = new ConfigSource() {
            @Override
            public Map<String, String> getProperties() {
                return copy;
            }

            @Override
            public java.util.Set<String> getPropertyNames() {
                return copy.keySet();
            }

            @Override
            public String getValue(String propertyName) {
                return copy.get(propertyName);
            }

            @Override
            public String getName() {
                return "mailpath-properties";
            }
        };
        ConfigProviderResolver resolver;
        try {
            resolver = ConfigProviderResolver.instance();
        } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
            throw new MailConfigurationException(
                    "No MicroProfile Config implementation on the class path: add one, such as"
                            + " io.smallrye.config:smallrye-config",
                    e);
        }
        return resolver.getBuilder()
                .addDiscoveredConverters()
                .withSources(source)
                .build();
    }

    /** The transport's name. */
    public String transport() {
        return transport;
    }

    /** The full name of one of this transport's keys, for messages. */
    public String key(String name) {
        return prefix + name;
    }

    /** The underlying MicroProfile Config. */
    public Config config() {
        return config;
    }

    /** A value, if set and not blank. */
    public Optional<String> get(String name) {
        return get(name, String.class).filter(s -> !s.isBlank());
    }

    /** A value converted to a type, if set. */
    public <T> Optional<T> get(String name, Class<T> type) {
        try {
            return config.getOptionalValue(key(name), type);
        } catch (IllegalArgumentException | NoSuchElementException e) {
            throw new MailConfigurationException(
                    key(name) + " is not a valid " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A value converted to a type, or the default. */
    public <T> T get(String name, Class<T> type, T defaultValue) {
        return get(name, type).orElse(defaultValue);
    }

    /** A positive number, or the default. */
    public long positive(String name, long defaultValue) {
        long value = get(name, Long.class, defaultValue);
        if (value <= 0) {
            throw new MailConfigurationException(key(name) + " must be greater than 0");
        }
        return value;
    }

    /** A value that must be set. */
    public String require(String name) {
        return get(name).orElseThrow(() -> new MailConfigurationException(key(name) + " is required"));
    }

    /**
     * Every key under {@code mailpath.<transport>.<subPrefix>}, with that part removed: how a transport passes
     * settings through to its library ({@code mailpath.smtp.mail.smtp.localhost} → {@code mail.smtp.localhost}).
     */
    public Map<String, String> passThrough(String subPrefix) {
        String full = prefix + subPrefix;
        Map<String, String> result = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(full)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> result.put(name.substring(prefix.length()), v));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "TransportConfig[" + prefix + "*]";
    }
}
