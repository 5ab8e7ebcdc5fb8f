package io.mailpath.spi;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One transport's configuration: the keys under {@code mailpath.<transport>.}, read with a {@link ConfigReader} each
 * time they are asked for, so a changed value (a rotated key) applies at once. A transport declares its keys as
 * {@link ConfigKey} constants and reads them with {@link #get(ConfigKey)}; the methods that take a short name read
 * a key that has no constant.
 *
 * <p>Errors name the key; a key read by its short name is treated as secret: its value is never quoted.
 */
public final class TransportConfig {
    /** The prefix of every Mailpath key. */
    public static final String PREFIX = ConfigKey.PREFIX;

    private final String transport;
    private final String prefix;
    private final ConfigReader reader;
    /** The MicroProfile Config read, or null for plain properties. */
    private final Config config;

    private TransportConfig(String transport, ConfigReader reader, Config config) {
        this.transport = transport;
        this.prefix = PREFIX + transport + ".";
        this.reader = reader;
        this.config = config;
    }

    /** The configuration of one transport, read from a MicroProfile Config. */
    public static TransportConfig of(String transport, Config config) {
        return new TransportConfig(transport, ConfigReader.of(config), config);
    }

    /** The configuration of one transport, read with a reader (from a MicroProfile Config or plain properties). */
    public static TransportConfig of(String transport, ConfigReader reader) {
        return new TransportConfig(transport, reader, null);
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

    /**
     * The underlying MicroProfile Config.
     *
     * @throws IllegalStateException when this configuration is read from plain properties
     * @deprecated read a declared key with {@link #get(ConfigKey)}, any other with {@link #reader()}
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public Config config() {
        if (config == null) {
            throw new IllegalStateException(this + " is read from plain properties, not a MicroProfile Config");
        }
        return config;
    }

    /** The reader of every key, this transport's and others'. */
    public ConfigReader reader() {
        return reader;
    }

    /**
     * A declared key's value, or its default.
     *
     * @throws MailConfigurationException naming the key when the value is not valid
     */
    public <T> T get(ConfigKey<T> key) {
        return reader.get(key);
    }

    /** A value, if set and not blank; as written. */
    public Optional<String> get(String name) {
        return reader.text(key(name));
    }

    /**
     * A value of a type ({@code String}, {@code Boolean}, {@code Integer}, {@code Long} or {@code Duration} in
     * milliseconds; read from a MicroProfile Config, any other type it converts), if set.
     *
     * @throws MailConfigurationException naming the key when the value is not valid
     */
    public <T> Optional<T> get(String name, Class<T> type) {
        String key = key(name);
        ConfigKey<?> adHoc;
        if (type == String.class) {
            adHoc = ConfigKey.string(key, name);
        } else if (type == Boolean.class) {
            adHoc = ConfigKey.bool(key, false, name);
        } else if (type == Long.class) {
            adHoc = ConfigKey.number(key, name).atLeast(Long.MIN_VALUE);
        } else if (type == Integer.class) {
            ConfigKey<Long> number =
                    ConfigKey.number(key, name).atLeast(Integer.MIN_VALUE).atMost(Integer.MAX_VALUE);
            return reader.optional(number.secret()).map(n -> type.cast(n.intValue()));
        } else if (type == Duration.class) {
            adHoc = ConfigKey.millis(key, name).atLeast(0);
        } else if (config != null) {
            // A type the reader does not know: converted by MicroProfile Config, as before 0.2.0.
            try {
                return reader.text(key).flatMap(v -> config.getOptionalValue(key, type));
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                throw ConfigKey.secret(key, name).invalid("a valid " + type.getSimpleName(), null);
            }
        } else {
            throw new IllegalArgumentException("A configuration value cannot be read as " + type.getName());
        }
        // Its value is unknown to Mailpath: it is not quoted in an error, as it may be a secret.
        return reader.optional(adHoc.secret()).map(type::cast);
    }

    /** A value converted to a type, or the default. */
    public <T> T get(String name, Class<T> type, T defaultValue) {
        return get(name, type).orElse(defaultValue);
    }

    /** A positive number, or the default. */
    public long positive(String name, long defaultValue) {
        return reader.get(ConfigKey.number(key(name), defaultValue, name).secret());
    }

    /** A value that must be set. */
    public String require(String name) {
        return reader.required(ConfigKey.secret(key(name), name));
    }

    /**
     * Every key under {@code mailpath.<transport>.<subPrefix>}, with the transport's prefix removed: how a transport
     * passes settings through to its library ({@code mailpath.smtp.mail.smtp.localhost} → {@code mail.smtp.localhost}).
     */
    public Map<String, String> passThrough(String subPrefix) {
        Map<String, String> result = new TreeMap<>();
        reader.startingWith(prefix + subPrefix)
                .forEach((name, value) -> result.put(name.substring(prefix.length()), value));
        return result;
    }

    @Override
    public String toString() {
        return "TransportConfig[" + prefix + "*]";
    }
}
