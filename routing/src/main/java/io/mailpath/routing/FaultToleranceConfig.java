package io.mailpath.routing;

import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * MicroProfile Fault Tolerance's keys for one guarded {@code send} method of the routing, looked up as Fault Tolerance
 * does: the method's key ({@code <class>/send/<Annotation>/<param>}), the class's ({@code <class>/<Annotation>/<param>}),
 * the global one ({@code <Annotation>/<param>}), then the annotation; an annotation is off when its {@code enabled} key
 * (method, class, global), or else {@value #NON_FALLBACK_ENABLED}, says so. These keys are users' configuration: the
 * class and method names in them never change.
 */
public final class FaultToleranceConfig {
    /** MicroProfile Fault Tolerance's switch for every annotation but {@code @Fallback}. */
    public static final String NON_FALLBACK_ENABLED = "MP_Fault_Tolerance_NonFallback_Enabled";

    /** The Fault Tolerance keys Mailpath documents, with the routing's defaults read from its annotations. */
    public static final KeyGroup KEYS = documentedKeys();

    private final ConfigReader reader;
    private final Class<?> type;
    private final Method method;

    private FaultToleranceConfig(ConfigReader reader, Class<?> type, Method method) {
        this.reader = reader;
        this.type = type;
        this.method = method;
    }

    /** The keys of a guarded path's {@code send} method ({@link PrimaryPath} or {@link SecondaryPath}). */
    public static FaultToleranceConfig of(ConfigReader reader, Class<?> path) {
        return of(reader, path, "send");
    }

    /** The keys of one guarded method of a path, such as {@link PrimaryPath#sendInStream}. */
    public static FaultToleranceConfig of(ConfigReader reader, Class<?> path, String method) {
        return new FaultToleranceConfig(reader, path, method(path, method));
    }

    private static Method method(Class<?> path, String name) {
        return Arrays.stream(path.getMethods())
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(path.getName() + " has no method " + name));
    }

    /** The annotation on the method (else on its class), unless it is switched off. */
    public <A extends Annotation> Optional<A> annotation(Class<A> annotation) {
        A found = method.getAnnotation(annotation);
        if (found == null) {
            found = type.getAnnotation(annotation);
        }
        if (found == null || !enabled(annotation)) {
            return Optional.empty();
        }
        return Optional.of(found);
    }

    /**
     * Whether an annotation is on, by its {@code enabled} keys, else {@value #NON_FALLBACK_ENABLED}. Fault Tolerance
     * reads these switches with MicroProfile Config's boolean converter, so they are read the same way here: {@code
     * true}, {@code 1}, {@code yes}, {@code y} and {@code on} (any case) are on, any other value off; refusing a value
     * Fault Tolerance takes would fail a deployment it runs, and reading it otherwise would check a guard that is off.
     */
    public boolean enabled(Class<? extends Annotation> annotation) {
        for (String name : names(annotation, "enabled")) {
            Optional<String> value = reader.text(name);
            if (value.isPresent()) {
                return switchedOn(value.get());
            }
        }
        return reader.text(NON_FALLBACK_ENABLED)
                .map(FaultToleranceConfig::switchedOn)
                .orElse(true);
    }

    private static boolean switchedOn(String value) {
        return List.of("true", "1", "yes", "y", "on").contains(value.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** A whole number, from the first of the method's, the class's and the global key that is set. */
    public Optional<Long> number(Class<? extends Annotation> annotation, String param) {
        return first(annotation, param, name -> ConfigKey.number(name, name).atLeast(Long.MIN_VALUE));
    }

    /** A decimal number (a ratio), from the first of the method's, the class's and the global key that is set. */
    public Optional<Double> decimal(Class<? extends Annotation> annotation, String param) {
        for (String full : names(annotation, param)) {
            Optional<String> text = reader.text(full);
            if (text.isPresent()) {
                try {
                    return Optional.of(Double.parseDouble(text.get().strip()));
                } catch (NumberFormatException e) {
                    throw ConfigKey.string(full, full).invalid("a decimal number", text.get());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A duration: an amount ({@code param}) in a unit ({@code unitParam}), each from its keys or else the
     * annotation's.
     */
    public Duration duration(
            Class<? extends Annotation> annotation,
            String param,
            long annotated,
            String unitParam,
            ChronoUnit annotatedUnit) {
        long amount = number(annotation, param).orElse(annotated);
        ChronoUnit unit = first(
                        annotation, unitParam, name -> ConfigKey.oneOf(name, ChronoUnit.class, annotatedUnit, name))
                .orElse(annotatedUnit);
        return Duration.of(amount, unit);
    }

    private <T> Optional<T> first(
            Class<? extends Annotation> annotation,
            String param,
            java.util.function.Function<String, ConfigKey<T>> key) {
        for (String full : names(annotation, param)) {
            Optional<T> value = reader.optional(key.apply(full));
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The method's, the class's and the global key of one parameter, in the order Fault Tolerance reads them. */
    private List<String> names(Class<? extends Annotation> annotation, String param) {
        String name = annotation.getSimpleName() + "/" + param;
        return List.of(type.getName() + "/" + method.getName() + "/" + name, type.getName() + "/" + name, name);
    }

    private static KeyGroup documentedKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>();
        keys.add(ConfigKey.bool(
                NON_FALLBACK_ENABLED,
                true,
                "`false` switches off every Fault Tolerance annotation but the fallback: no retry, timeout or circuit"
                        + " breaker."));
        Method primary = method(PrimaryPath.class, "send");
        Retry retry = primary.getAnnotation(Retry.class);
        String p = PrimaryPath.class.getName() + "/send/";
        keys.add(ft(
                p + "Retry/maxRetries",
                retry.maxRetries(),
                "Retries of the primary; only unavailable failures are retried."));
        keys.add(ft(p + "Retry/delay", retry.delay(), "Milliseconds between two tries of the primary."));
        keys.add(ft(p + "Retry/jitter", retry.jitter(), "Milliseconds of random variation added to the delay."));
        keys.add(ft(
                p + "Retry/maxDuration",
                retry.maxDuration(),
                "Milliseconds after which the primary is not tried again."));
        keys.add(ft(
                p + "Timeout/value",
                primary.getAnnotation(Timeout.class).value(),
                "Milliseconds one try of the primary may take; must outlast the transport's own timeouts for one"
                        + " request (checked at deployment)."));
        CircuitBreaker breaker = primary.getAnnotation(CircuitBreaker.class);
        keys.add(ft(
                p + "CircuitBreaker/requestVolumeThreshold",
                breaker.requestVolumeThreshold(),
                "Calls in the circuit breaker's window; each retry is a call."));
        keys.add(ft(
                p + "CircuitBreaker/failureRatio",
                breaker.failureRatio(),
                "Share of failed calls in the window that opens the circuit (unavailable, uncertain and timed-out"
                        + " calls fail)."));
        keys.add(ft(
                p + "CircuitBreaker/delay",
                breaker.delay(),
                "Milliseconds the circuit stays open before a trial call."));
        keys.add(ft(
                p + "CircuitBreaker/successThreshold",
                breaker.successThreshold(),
                "Successful trial calls that close the circuit again."));
        keys.add(ft(p + "CircuitBreaker/enabled", true, "`false` switches the primary's circuit breaker off."));
        Method secondary = method(SecondaryPath.class, "send");
        Retry later = secondary.getAnnotation(Retry.class);
        String s = SecondaryPath.class.getName() + "/send/";
        keys.add(ft(s + "Retry/maxRetries", later.maxRetries(), "Retries of each later transport."));
        keys.add(ft(s + "Retry/delay", later.delay(), "Milliseconds between two tries of a later transport."));
        keys.add(ft(s + "Retry/jitter", later.jitter(), "Milliseconds of random variation added to that delay."));
        keys.add(ft(
                s + "Timeout/value",
                secondary.getAnnotation(Timeout.class).value(),
                "Milliseconds one try of a later transport may take; checked at deployment like the primary's."));
        return KeyGroup.of(
                "Fault Tolerance (routing)",
                "The retry, timeout and circuit breaker of each path are MicroProfile Fault Tolerance annotations, tuned"
                        + " with Fault Tolerance's own keys (the method's key wins over the class's and the global"
                        + " one). Retries use a fixed delay with jitter.",
                keys.toArray(ConfigKey<?>[]::new));
    }

    private static ConfigKey<String> ft(String name, Object annotated, String description) {
        return ConfigKey.string(name, description).documentedDefault("`" + annotated + "`");
    }
}
