package io.mailpath;

import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Selects a named stream: {@code @Inject @MailStream("marketing") MailTransport marketing;}. A stream is a separate
 * sending configuration (its own transports and order, keys, relay login, sending domains, failover settings and
 * circuit breaker), named in {@code mailpath.streams} and configured under {@code mailpath.stream.<name>.}. The plain
 * {@code @Inject MailTransport} sends through the unnamed stream, {@value #DEFAULT}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface MailStream {
    /** The name of the unnamed stream: the one the plain {@code @Inject MailTransport} sends through. */
    String DEFAULT = "default";

    /**
     * What a stream's name may be: a lower-case letter, then up to 31 lower-case letters, digits or {@code -}; it is
     * part of configuration keys, metadata and telemetry attributes.
     */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** The stream's name, as listed in {@code mailpath.streams}. */
    @Nonbinding
    String value();

    /** An instance of the qualifier, for programmatic lookup. */
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<MailStream> implements MailStream {
        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value);
        }

        public static Literal of(String value) {
            return new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
