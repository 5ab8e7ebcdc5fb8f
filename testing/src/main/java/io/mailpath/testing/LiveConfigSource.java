package io.mailpath.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** A MicroProfile Config source whose values a test changes while the code under test runs, as a secret store's would. */
public final class LiveConfigSource implements ConfigSource {
    private final Map<String, String> values;

    public LiveConfigSource(Map<String, String> initial) {
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
        return "live-test-values";
    }
}
