package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.routing.FaultToleranceConfig;
import io.mailpath.routing.PrimaryPath;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.routing.SecondaryPath;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The longest one send through the routed {@code MailTransport} may take, which a relay's lease must outlast: the
 * primary path with its retries, the wait for a {@code Retry-After}, the primary path once more (it is tried again
 * under its own guard, retries included), then every later transport with its retries. Each figure is the effective MicroProfile Fault Tolerance value of the routing's
 * {@code PrimaryPath.send} and {@code SecondaryPath.send}, looked up as Fault Tolerance does
 * ({@link FaultToleranceConfig}).
 *
 * <p>A path's one try takes at most its {@code @Timeout} (the routing checks at deployment that it outlasts the
 * transport's own timeouts). Its retries take at most
 * {@code (maxRetries + 1)} tries and {@code maxRetries} delays of {@code delay + jitter}, and no try starts after
 * {@code maxDuration}, so no more than {@code maxDuration} plus one try. Without a timeout a path has no bound.
 *
 * @param worstCase the bound, or empty when a path it needs has no timeout
 * @param explanation how it was found, naming the figures and the keys that change them
 */
public record RoutedSendBound(Optional<Duration> worstCase, String explanation) {
    /** The class whose presence says the routing is deployed. */
    static final String ROUTING_PATH = "io.mailpath.routing.PrimaryPath";

    /** The default of {@value RoutingConfig#RATE_LIMIT_MAX_WAIT} in the routing, in milliseconds. */
    static final long DEFAULT_RATE_LIMIT_MAX_WAIT_MS =
            RoutingConfig.RATE_LIMIT_MAX_WAIT_KEY.defaultValue().toMillis();

    /**
     * The bound for the routing's configuration: the longest of its streams', each with as many transports as its
     * {@code mailpath.transports} names (a named stream's first transport is guarded by {@code
     * PrimaryPath.sendInStream}).
     */
    public static RoutedSendBound of(Config config) {
        ConfigReader reader = ConfigReader.of(config);
        RoutedSendBound longest = of(reader, "send", transportCount(reader), "");
        for (String stream : reader.optional(STREAMS).orElse(List.of())) {
            ConfigReader own = reader.inStream(stream);
            RoutedSendBound bound = of(own, "sendInStream", transportCount(own), "stream '" + stream + "': ");
            longest = longer(longest, bound);
        }
        return longest;
    }

    /** The routing's key of the transports, read only to count them. */
    private static final ConfigKey<List<String>> TRANSPORTS = RoutingConfig.TRANSPORTS_KEY.ignoringRepeats();

    /** The routing's key of the named streams, read only to list them (the routing refuses a wrong one). */
    private static final ConfigKey<List<String>> STREAMS = RoutingConfig.STREAMS_KEY.ignoringRepeats();

    /** The unnamed stream's bound for {@code transports} transports in its order (the first is the primary). */
    static RoutedSendBound of(Config config, int transports) {
        return of(ConfigReader.of(config), "send", transports, "");
    }

    private static RoutedSendBound of(ConfigReader reader, String primaryMethod, int transports, String stream) {
        Path primary = Path.read(reader, PrimaryPath.class, primaryMethod);
        Path secondary = Path.read(reader, SecondaryPath.class, "send");
        Duration rateLimitWait = reader.get(RoutingConfig.RATE_LIMIT_MAX_WAIT_KEY);
        int later = Math.max(0, transports - 1);
        StringBuilder why = new StringBuilder(stream);
        why.append("primary ").append(primary.describe());
        why.append(", then ")
                .append(reader.keyFor(RoutingConfig.RATE_LIMIT_MAX_WAIT))
                .append(' ')
                .append(rateLimitWait.toMillis());
        why.append(" ms and the primary again, retries included");
        if (later > 0) {
            why.append(", then ").append(later).append(" later transport").append(later > 1 ? "s" : "");
            why.append(" each ").append(secondary.describe());
        }
        Optional<Duration> total =
                primary.worstCase().map(p -> p.plus(rateLimitWait).plus(p));
        if (later > 0) {
            total = total.flatMap(p -> secondary.worstCase().map(s -> p.plus(s.multipliedBy(later))));
        }
        return new RoutedSendBound(total, why.toString());
    }

    /** The longer of two bounds; no bound at all is the longest. */
    private static RoutedSendBound longer(RoutedSendBound a, RoutedSendBound b) {
        if (a.worstCase().isEmpty()) {
            return a;
        }
        if (b.worstCase().isEmpty()) {
            return b;
        }
        return a.worstCase().get().compareTo(b.worstCase().get()) >= 0 ? a : b;
    }

    /** How many transports the routing tries: those {@code mailpath.transports} names, or its default. */
    static int transportCount(Config config) {
        return transportCount(ConfigReader.of(config));
    }

    private static int transportCount(ConfigReader reader) {
        Optional<List<String>> named = reader.optional(TRANSPORTS);
        if (named.isPresent()) {
            return Math.max(1, named.get().size());
        }
        try {
            // The routing's default: every transport on the class path that does not keep itself out.
            return (int) Math.max(
                    1,
                    Transports.providers().stream()
                            .filter(p -> p.priority() >= 0)
                            .map(TransportProvider::name)
                            .count());
        } catch (MailConfigurationException e) {
            return 1; // the routing fails the deployment, saying why
        }
    }

    /** One guarded path's effective {@code @Timeout} and {@code @Retry}. */
    record Path(
            Class<?> type,
            String method,
            Optional<Duration> timeout,
            int maxRetries,
            Duration delay,
            Duration jitter,
            Optional<Duration> maxDuration) {

        static Path read(ConfigReader reader, Class<?> type, String method) {
            FaultToleranceConfig ft = FaultToleranceConfig.of(reader, type, method);
            Optional<Duration> timeout = ft.annotation(Timeout.class).flatMap(t -> {
                Duration d = ft.duration(Timeout.class, "value", t.value(), "unit", t.unit());
                return d.isZero() ? Optional.empty() : Optional.of(d); // 0: no timeout
            });
            Optional<Retry> retry = ft.annotation(Retry.class);
            if (retry.isEmpty()) {
                return new Path(type, method, timeout, 0, Duration.ZERO, Duration.ZERO, Optional.empty());
            }
            Retry r = retry.get();
            Duration maxDuration =
                    ft.duration(Retry.class, "maxDuration", r.maxDuration(), "durationUnit", r.durationUnit());
            return new Path(
                    type,
                    method,
                    timeout,
                    ft.number(Retry.class, "maxRetries").map(Long::intValue).orElse(r.maxRetries()),
                    ft.duration(Retry.class, "delay", r.delay(), "delayUnit", r.delayUnit()),
                    ft.duration(Retry.class, "jitter", r.jitter(), "jitterDelayUnit", r.jitterDelayUnit()),
                    maxDuration.isZero() ? Optional.empty() : Optional.of(maxDuration)); // 0: no limit
        }

        /** The longest the path takes, its retries included; empty without a timeout or any limit to its retries. */
        Optional<Duration> worstCase() {
            if (timeout.isEmpty()) {
                return Optional.empty();
            }
            Duration oneTry = timeout.get();
            Optional<Duration> byCount = maxRetries < 0
                    ? Optional.empty() // -1: retried forever
                    : Optional.of(oneTry.multipliedBy(maxRetries + 1L)
                            .plus(delay.plus(jitter).multipliedBy(maxRetries)));
            // No retry starts once maxDuration has passed since the first try began.
            Optional<Duration> byDuration = maxDuration.map(d -> d.plus(oneTry));
            if (byCount.isPresent() && byDuration.isPresent()) {
                return Optional.of(byCount.get().compareTo(byDuration.get()) <= 0 ? byCount.get() : byDuration.get());
            }
            return byCount.isPresent() ? byCount : byDuration;
        }

        String describe() {
            String name = type.getName() + "/" + method;
            if (timeout.isEmpty()) {
                return "has no timeout (" + name + "/Timeout off or 0)";
            }
            return "takes at most " + worstCase().map(d -> d.toMillis() + " ms").orElse("forever") + " ("
                    + name + "/Timeout " + timeout.get().toMillis() + " ms, Retry maxRetries " + maxRetries
                    + ", delay " + delay.toMillis() + " ms, jitter " + jitter.toMillis() + " ms, maxDuration "
                    + maxDuration.map(d -> d.toMillis() + " ms").orElse("none") + ")";
        }
    }
}
