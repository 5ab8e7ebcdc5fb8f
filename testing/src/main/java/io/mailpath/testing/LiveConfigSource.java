package io.mailpath.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** A MicroProfile Config source whose values a test changes while the code under test runs, as a secret store's would. */
public final class LiveConfigSource implements ConfigSource {
    private final String name;
    private final int ordinal;
    private final Map<String, String> values;

    /** A source of the default ordinal (100), below system properties and the environment. */
    public LiveConfigSource(Map<String, String> initial) {
        this("live-test-values", DEFAULT_ORDINAL, initial);
    }

    /** A source with a name (shown in MicroProfile Config's messages) and an ordinal (higher wins). */
    public LiveConfigSource(String name, int ordinal, Map<String, String> initial) {
        this.name = name;
        this.ordinal = ordinal;
        this.values = new ConcurrentHashMap<>(initial);
    }

    /** Changes one value; the next read sees it. */
    public void put(String key, String value) {
        values.put(key, value);
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String name) {
        return values.get(name);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getOrdinal() {
        return ordinal;
    }
}
