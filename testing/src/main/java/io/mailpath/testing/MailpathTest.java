package io.mailpath.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a JUnit 5 test class with the routed {@code MailTransport} in the test JVM: a CDI container (Weld SE) with
 * Mailpath's routing, MicroProfile Fault Tolerance (SmallRye) and MicroProfile Config (SmallRye), started afresh for
 * every test method, with every {@link Mailbox} emptied before it.
 *
 * <pre>
 * &#64;MailpathTest(config = "mailpath.transports=memory,memory-backup")
 * class ReceiptTest {
 *     &#64;Inject MailTransport mail;
 *
 *     &#64;Test
 *     void failsOver() {
 *         Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
 *         SendReceipt receipt = mail.send(message);
 *         assertThat(receipt.transport()).isEqualTo("memory-backup");
 *     }
 * }
 * </pre>
 *
 * Fields of the test class are injected; the classes of injected fields become beans, and weld-junit's
 * {@code @AddBeanClasses}, {@code @AddPackages} and {@code @EnableAlternatives} add more (the application's own
 * beans). The routing comes from {@code mailpath-routing}, which every Mailpath transport brings; the mailboxes and
 * the configuration are shared by the JVM, so {@code @MailpathTest} classes never run in parallel with each other.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(MailpathTestExtension.class)
@ResourceLock(MailpathTestExtension.SHARED_STATE)
public @interface MailpathTest {
    /**
     * MicroProfile Config values for this test class, each {@code key=value}; they win over the usual sources
     * ({@code microprofile-config.properties}, system properties, environment: ordinal 1000). A {@code @Nested} class
     * shares its enclosing class's values.
     */
    String[] config() default {};
}
