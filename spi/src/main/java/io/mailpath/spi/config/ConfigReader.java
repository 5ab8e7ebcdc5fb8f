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
    /** The prefix of the stream this reader reads first ({@code mailpath.stream.<name>.}), or null. */
    private final String streamPrefix;

    private ConfigReader(Function<String, Optional<String>> values, Supplier<Iterable<String>> names, String source) {
        this(values, names, source, null);
    }

    private ConfigReader(
            Function<String, Optional<String>> values,
            Supplier<Iterable<String>> names,
            String source,
            String streamPrefix) {
        this.values = values;
        this.names = names;
        this.source = source;
        this.streamPrefix = streamPrefix;
    }

    /** The prefix of one stream's keys: {@code mailpath.stream.<name>.}. */
    public static String streamPrefix(String stream) {
        return ConfigKey.PREFIX + "stream." + stream + ".";
    }

    /**
     * The keys of a named stream: each {@code mailpath.<key>} is read from {@code mailpath.stream.<name>.<key>} when
     * that is set, else as it is, so that a stream sets only what differs (its API key, its relay login) and shares
     * the rest. An error names the key the value came from. Other keys (Fault Tolerance's) are read as they are.
     */
    public ConfigReader inStream(String stream) {
        return new ConfigReader(values, names, source + ", stream " + stream, streamPrefix(stream));
    }

    /**
     * The key a value is read from: the stream's own ({@code mailpath.stream.<name>.<key>}) when this reader reads a
     * stream's keys and that one is set, else the key as named; for messages.
     */
    public String keyFor(String name) {
        return locate(name);
    }

    private String locate(String name) {
        if (streamPrefix != null && name.startsWith(ConfigKey.PREFIX)) {
            String own = streamPrefix + name.substring(ConfigKey.PREFIX.length());
            if (values.apply(own).filter(s -> !s.isBlank()).isPresent()) {
                return own;
            }
        }
        return name;
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
        String where = locate(key.name());
        if (key.isSecret() && where.equals(key.name()) && writtenBlankForStream(key.name())) {
            // A stream's secret written blank (a secret not mounted, an empty variable) is the stream's, unset: the
            // shared secret is another account's, and sending with it would mix the streams without a word.
            return Optional.empty();
        }
        ConfigKey<T> read = where.equals(key.name()) ? key : key.renamed(where);
        return raw(where).map(read::parse);
    }

    /** Whether this reader reads a stream's keys and the stream's own of this key is written, but blank. */
    private boolean writtenBlankForStream(String name) {
        if (streamPrefix == null || !name.startsWith(ConfigKey.PREFIX)) {
            return false;
        }
        String own = streamPrefix + name.substring(ConfigKey.PREFIX.length());
        if (values.apply(own).isPresent()) {
            return true; // present, and blank, or locate would have chosen it
        }
        // MicroProfile Config reads an empty value as missing; its names still list the key.
        for (String written : names.get()) {
            if (written.equals(own)) {
                return true;
            }
        }
        return false;
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
        return optional(key)
                .orElseThrow(() -> streamPrefix != null && key.name().startsWith(ConfigKey.PREFIX)
                        // A stream's key may be set for the stream or shared: the message names the stream's.
                        ? key.renamed(streamPrefix + key.name().substring(ConfigKey.PREFIX.length()))
                                .missing("(or " + key.name() + ", shared by every stream)")
                        : key.missing());
    }

    /** The text of any key, such as another specification's, when it is set and not blank; as written. */
    public Optional<String> text(String name) {
        return raw(locate(name));
    }

    private Optional<String> raw(String name) {
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
                raw(name).ifPresent(v -> result.putIfAbsent(name, v));
            }
        }
        if (streamPrefix != null && prefix.startsWith(ConfigKey.PREFIX)) {
            // The stream's own keys stand over the shared ones, under the shared names.
            String own = streamPrefix + prefix.substring(ConfigKey.PREFIX.length());
            for (String name : names.get()) {
                if (name.startsWith(own)) {
                    String shared = ConfigKey.PREFIX + name.substring(streamPrefix.length());
                    raw(name).ifPresent(v -> result.put(shared, v));
                }
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
