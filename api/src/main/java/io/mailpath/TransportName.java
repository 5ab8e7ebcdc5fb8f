package io.mailpath;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Selects one transport, without failover: {@code @Inject @TransportName("smtp") MailTransport smtp;}. The plain
 * {@code @Inject MailTransport} routes through every configured transport.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface TransportName {
    /** The transport's name: {@code "api"} or {@code "smtp"}. */
    String value();

    /** An instance of the qualifier, for programmatic lookup. */
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<TransportName> implements TransportName {
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
