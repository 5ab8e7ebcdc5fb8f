package io.mailpath.routing;

import io.mailpath.MailStream;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.Transports;
import io.mailpath.spi.config.ConfigReader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/** Builds each transport once, from MicroProfile Config, and closes them all when the application stops. */
public final class TransportRegistry {
    private static final Logger LOG = Logger.getLogger(TransportRegistry.class.getName());

    private final String stream;
    private final Function<String, TransportConfig> configOf;

    private final Map<String, DirectTransport> transports = new ConcurrentHashMap<>();

    private TransportRegistry(String stream, Function<String, TransportConfig> configOf) {
        this.stream = stream;
        this.configOf = configOf;
    }

    /** The unnamed stream's transports, configured by {@code mailpath.<transport>.*}. */
    static TransportRegistry of(Config config) {
        return new TransportRegistry(MailStream.DEFAULT, name -> TransportConfig.of(name, config));
    }

    /**
     * A named stream's own transports: each key read from {@code mailpath.stream.<name>.<transport>.*} first
     * ({@link ConfigReader#inStream}).
     */
    static TransportRegistry of(String stream, ConfigReader streamKeys) {
        return new TransportRegistry(stream, name -> TransportConfig.of(name, streamKeys));
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
            DirectTransport t = Transports.provider(n).create(configOf.apply(n));
            LOG.info(() -> "Mailpath transport '" + n + "' ready"
                    + (stream.equals(MailStream.DEFAULT) ? "" : " for stream '" + stream + "'") + ": " + t);
            return t;
        });
    }

    /**
     * Closes every transport, each whatever another's close threw. A {@link LinkageError} is caught too: on Payara
     * Micro 7 a failed deployment's CDI container stops after the application's class loader, which then refuses any
     * class a close needs for the first time. A plain loop, not a lambda, for the same reason.
     */
    void closeAll() {
        for (DirectTransport t : transports.values()) {
            try {
                t.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "Closing Mailpath transport '" + t.name() + "' failed", e);
            }
        }
        transports.clear();
    }
}
