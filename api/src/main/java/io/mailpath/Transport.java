package io.mailpath;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Selects one transport, without failover: {@code @Inject @Transport("smtp") MailTransport smtp;}, the same bean as
 * {@code @Inject @TransportName("smtp") MailTransport smtp;}. Every transport bean carries both qualifiers with the
 * same name, so an injection point or a programmatic lookup written with this one still resolves.
 *
 * @deprecated the qualifier's name said "a transport" where it holds a transport's name; use {@link TransportName}
 *     with the same value. This qualifier will be removed in a later release.
 */
@Deprecated(since = "0.2.0", forRemoval = true)
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Transport {
    /**
     * The transport's name, as {@link TransportName#value()}.
     *
     * @return for example {@code "api"} or {@code "smtp"}
     */
    String value();

    /**
     * An instance of the qualifier, for programmatic lookup.
     *
     * @deprecated use {@link TransportName.Literal#of(String)}.
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<Transport> implements Transport {
        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value);
        }

        /**
         * The qualifier naming one transport.
         *
         * @param value the transport's name
         * @return the qualifier
         * @deprecated use {@link TransportName.Literal#of(String)}.
         */
        @Deprecated(since = "0.2.0", forRemoval = true)
        public static Literal of(String value) {
            return new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
