package io.mailpath.routing;

import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.Transports;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/** Builds each transport once, from MicroProfile Config, and closes them all when the application stops. */
public final class TransportRegistry {
    private static final Logger LOG = Logger.getLogger(TransportRegistry.class.getName());

    private final Config config;

    private final Map<String, DirectTransport> transports = new ConcurrentHashMap<>();

    TransportRegistry(Config config) {
        this.config = config;
    }

    /**
     * The transport of that name, built on first use.
     *
     * @throws io.mailpath.MailConfigurationException when it is missing or its configuration is wrong
     */
    public DirectTransport get(String name) {
        DirectTransport existing = transports.get(name);
        if (existing != null) {
            return existing;
        }
        return transports.computeIfAbsent(name, n -> {
            DirectTransport t = Transports.provider(n).create(TransportConfig.of(n, config));
            LOG.info(() -> "Mailpath transport '" + n + "' ready: " + t);
            return t;
        });
    }

    void closeAll() {
        transports.values().forEach(t -> {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Closing Mailpath transport '" + t.name() + "' failed", e);
            }
        });
        transports.clear();
    }
}
