package io.mailpath.outbox.cdi;

import io.mailpath.MailConfigurationException;
import io.mailpath.routing.PrimaryPath;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.routing.SecondaryPath;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.Transports;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The longest one send through the routed {@code MailTransport} may take, which a relay's lease must outlast: the
 * primary path with its retries, the wait for a {@code Retry-After} and the primary's one more try, then every later
 * transport with its retries. Each figure is the effective MicroProfile Fault Tolerance value of the routing's
 * {@code PrimaryPath.send} and {@code SecondaryPath.send}, looked up as Fault Tolerance does: the method's key
 * ({@code <class>/send/<Annotation>/<param>}), the class's, the global one ({@code <Annotation>/<param>}), then the
 * annotation; an annotation is off when its {@code enabled} key (method, class, global) or else
 * {@code MP_Fault_Tolerance_NonFallback_Enabled} says so.
 *
 * <p>A path's one try takes at most its {@code @Timeout} (the routing checks at deployment that it outlasts the
 * transport's own timeouts, which also bound the unguarded try after a {@code Retry-After}). Its retries take at most
 * {@code (maxRetries + 1)} tries and {@code maxRetries} delays of {@code delay + jitter}, and no try starts after
 * {@code maxDuration}, so no more than {@code maxDuration} plus one try. Without a timeout a path has no bound.
 *
 * @param worstCase the bound, or empty when a path it needs has no timeout
 * @param explanation how it was found, naming the figures and the keys that change them
 */
public record RoutedSendBound(Optional<Duration> worstCase, String explanation) {
    /** The class whose presence says the routing is deployed. */
    static final String ROUTING_PATH = "io.mailpath.routing.PrimaryPath";

    /**
     * The default of {@value RoutingConfig#RATE_LIMIT_MAX_WAIT} in the routing, in milliseconds (kept in step by a
     * test).
     */
    static final long DEFAULT_RATE_LIMIT_MAX_WAIT_MS = 5_000;

    private static final String NON_FALLBACK_ENABLED = "MP_Fault_Tolerance_NonFallback_Enabled";

    /** The bound for the routing's configuration, with as many transports as {@code mailpath.transports} names. */
    public static RoutedSendBound of(Config config) {
        return of(config, transportCount(config));
    }

    /** The bound for {@code transports} transports in the routing's order (the first is the primary). */
    static RoutedSendBound of(Config config, int transports) {
        Path primary = Path.read(config, PrimaryPath.class);
        Path secondary = Path.read(config, SecondaryPath.class);
        Duration rateLimitWait = Duration.ofMillis(Math.max(
                0, read(config, RoutingConfig.RATE_LIMIT_MAX_WAIT, Long.class).orElse(DEFAULT_RATE_LIMIT_MAX_WAIT_MS)));
        int later = Math.max(0, transports - 1);
        StringBuilder why = new StringBuilder();
        why.append("primary ").append(primary.describe());
        why.append(", then ")
                .append(RoutingConfig.RATE_LIMIT_MAX_WAIT)
                .append(' ')
                .append(rateLimitWait.toMillis());
        why.append(" ms and one more try of the primary");
        if (later > 0) {
            why.append(", then ").append(later).append(" later transport").append(later > 1 ? "s" : "");
            why.append(" each ").append(secondary.describe());
        }
        Optional<Duration> total = primary.worstCase()
                .flatMap(p -> primary.timeout.map(t -> p.plus(rateLimitWait).plus(t)));
        if (later > 0) {
            total = total.flatMap(p -> secondary.worstCase().map(s -> p.plus(s.multipliedBy(later))));
        }
        return new RoutedSendBound(total, why.toString());
    }

    /** How many transports the routing tries: those {@code mailpath.transports} names, or its default. */
    static int transportCount(Config config) {
        Optional<String[]> named = read(config, RoutingConfig.TRANSPORTS, String[].class);
        if (named.isPresent()) {
            Set<String> names = new LinkedHashSet<>();
            Arrays.stream(named.get())
                    .map(String::strip)
                    .filter(n -> !n.isEmpty())
                    .forEach(names::add);
            return Math.max(1, names.size());
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
            Optional<Duration> timeout,
            int maxRetries,
            Duration delay,
            Duration jitter,
            Optional<Duration> maxDuration) {

        static Path read(Config config, Class<?> type) {
            Method send = Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals("send"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(type.getName() + " has no send method"));
            FaultTolerance ft = new FaultTolerance(config, type, send);
            Optional<Duration> timeout = ft.annotation(Timeout.class).flatMap(t -> {
                Duration d = ft.duration(Timeout.class, "value", t.value(), "unit", t.unit());
                return d.isZero() ? Optional.empty() : Optional.of(d); // 0: no timeout
            });
            Optional<Retry> retry = ft.annotation(Retry.class);
            if (retry.isEmpty()) {
                return new Path(type, timeout, 0, Duration.ZERO, Duration.ZERO, Optional.empty());
            }
            Retry r = retry.get();
            Duration maxDuration =
                    ft.duration(Retry.class, "maxDuration", r.maxDuration(), "durationUnit", r.durationUnit());
            return new Path(
                    type,
                    timeout,
                    ft.value(Retry.class, "maxRetries", Integer.class).orElse(r.maxRetries()),
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
            String name = type.getName() + "/send";
            if (timeout.isEmpty()) {
                return "has no timeout (" + name + "/Timeout off or 0)";
            }
            return "takes at most " + worstCase().map(d -> d.toMillis() + " ms").orElse("forever") + " ("
                    + name + "/Timeout " + timeout.get().toMillis() + " ms, Retry maxRetries " + maxRetries
                    + ", delay " + delay.toMillis() + " ms, jitter " + jitter.toMillis() + " ms, maxDuration "
                    + maxDuration.map(d -> d.toMillis() + " ms").orElse("none") + ")";
        }
    }

    /** MicroProfile Fault Tolerance's lookup of one guarded method's settings. */
    private record FaultTolerance(Config config, Class<?> type, Method method) {
        /** The annotation on the method (else on its class), unless it is switched off. */
        <A extends Annotation> Optional<A> annotation(Class<A> annotation) {
            A found = method.getAnnotation(annotation);
            if (found == null) {
                found = type.getAnnotation(annotation);
            }
            if (found == null) {
                return Optional.empty();
            }
            boolean enabled = value(annotation, "enabled", Boolean.class)
                    .orElseGet(() ->
                            read(config, NON_FALLBACK_ENABLED, Boolean.class).orElse(true));
            return enabled ? Optional.of(found) : Optional.empty();
        }

        /** The first of the method's, the class's and the global key that is set. */
        <T> Optional<T> value(Class<? extends Annotation> annotation, String param, Class<T> as) {
            String name = annotation.getSimpleName() + "/" + param;
            for (String key : new String[] {
                type.getName() + "/" + method.getName() + "/" + name, type.getName() + "/" + name, name
            }) {
                Optional<T> value = read(config, key, as);
                if (value.isPresent()) {
                    return value;
                }
            }
            return Optional.empty();
        }

        Duration duration(
                Class<? extends Annotation> annotation,
                String param,
                long annotated,
                String unitParam,
                ChronoUnit annotatedUnit) {
            long amount = value(annotation, param, Long.class).orElse(annotated);
            Optional<String> unit = value(annotation, unitParam, String.class);
            try {
                return Duration.of(
                        amount,
                        unit.map(u -> ChronoUnit.valueOf(u.strip().toUpperCase(Locale.ROOT)))
                                .orElse(annotatedUnit));
            } catch (RuntimeException e) {
                throw new MailConfigurationException(type.getName() + "/" + method.getName() + "/"
                        + annotation.getSimpleName() + "/" + unitParam + " is not a unit of time: " + unit.orElse(""));
            }
        }
    }

    private static <T> Optional<T> read(Config config, String key, Class<T> as) {
        try {
            return config.getOptionalValue(key, as);
        } catch (IllegalArgumentException e) {
            throw new MailConfigurationException(key + " is not a valid " + as.getSimpleName());
        }
    }
}
