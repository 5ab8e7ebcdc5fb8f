package io.mailpath.spi.config;

import io.mailpath.MailConfigurationException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;

/**
 * Reads {@link ConfigKey}s from a MicroProfile {@link Config} or from plain properties (Java SE, tests). Values are
 * read each time they are asked for, so a changed value (a rotated key) applies at once. A value that is empty or only
 * white space counts as not set.
 *
 * <pre>
 * ConfigReader reader = ConfigReader.of(ConfigProvider.getConfig());
 * Duration lease = reader.get(OutboxConfiguration.LEASE_KEY);
 * </pre>
 */
public final class ConfigReader {
    private final Function<String, Optional<String>> values;
    private final Supplier<Iterable<String>> names;
    private final String source;

    private ConfigReader(Function<String, Optional<String>> values, Supplier<Iterable<String>> names, String source) {
        this.values = values;
        this.names = names;
        this.source = source;
    }

    /** Reads from a MicroProfile Config. */
    public static ConfigReader of(Config config) {
        return new ConfigReader(
                name -> config.getOptionalValue(name, String.class), config::getPropertyNames, "Config");
    }

    /** Reads from plain properties, without a MicroProfile Config implementation. */
    public static ConfigReader of(Map<String, String> properties) {
        Map<String, String> copy = Map.copyOf(properties);
        return new ConfigReader(name -> Optional.ofNullable(copy.get(name)), copy::keySet, "properties");
    }

    /**
     * The key's value, when it is set.
     *
     * @throws MailConfigurationException naming the key when the value is not valid
     */
    public <T> Optional<T> optional(ConfigKey<T> key) {
        return text(key.name()).map(key::parse);
    }

    /**
     * The key's value, or its default when it is not set.
     *
     * @throws MailConfigurationException naming the key when the value is not valid
     * @throws IllegalArgumentException when the key has no default (read it with {@link #optional} or
     *     {@link #required})
     */
    public <T> T get(ConfigKey<T> key) {
        if (key.defaultValue() == null) {
            throw new IllegalArgumentException(key.name() + " has no default");
        }
        return optional(key).orElse(key.defaultValue());
    }

    /**
     * The key's value, which must be set.
     *
     * @throws MailConfigurationException naming the key when it is not set or not valid
     */
    public <T> T required(ConfigKey<T> key) {
        return optional(key).orElseThrow(key::missing);
    }

    /** The text of any key, such as another specification's, when it is set and not blank; as written. */
    public Optional<String> text(String name) {
        return values.apply(name).filter(s -> !s.isBlank());
    }

    /**
     * Every key whose name starts with the prefix and whose value is set, by name: how settings are passed through
     * to a library.
     */
    public Map<String, String> startingWith(String prefix) {
        Map<String, String> result = new TreeMap<>();
        for (String name : names.get()) {
            if (name.startsWith(prefix)) {
                text(name).ifPresent(v -> result.put(name, v));
            }
        }
        return result;
    }

    /** Names the source, never a value. */
    @Override
    public String toString() {
        return "ConfigReader[" + source + "]";
    }
}
