package io.mailpath.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * A server without MicroProfile Telemetry: no {@code OpenTelemetry} bean (here the API's classes are on the class path,
 * as on a server whose telemetry is not enabled). The module records nothing and every send behaves as without it.
 */
@MailpathTest(config = {"mailpath.transports=memory,memory-backup", "MP_Fault_Tolerance_Metrics_Enabled=false"})
@AddBeanClasses({MailTelemetry.class, TracedMailTransport.class, FaultToleranceMeter.class})
class NoOpenTelemetryTest {
    @Inject
    MailTransport mail;

    @Inject
    MailTelemetry telemetry;

    @Test
    void sendsDeliverFailOverAndFailAsWithoutTelemetry() throws Exception {
        assertThat(telemetry.recording()).isFalse();

        assertThat(mail.send(SendTelemetryTest.message("ann@example.com")).transport())
                .isEqualTo("memory");

        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
        SendReceipt failedOver = mail.sendAsync(SendTelemetryTest.message("bob@example.com"))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertThat(failedOver.transport()).isEqualTo("memory-backup");
        assertThat(failedOver.failedOver()).isTrue();

        Mailbox.of("memory").failNext(1, SimulatedFailure.rejected(400));
        assertThatThrownBy(() -> mail.send(SendTelemetryTest.message("cy@example.com")))
                .isInstanceOf(MailRejectedException.class);
        assertThat(Mailbox.of("memory").messages()).hasSize(1);
        assertThat(Mailbox.of("memory-backup").messages()).hasSize(1);
    }

    @Test
    void theApiIsNotVisibleThroughALoaderWithoutIt() throws Exception {
        assertThat(MailTelemetry.openTelemetryVisible(MailTelemetry.class.getClassLoader()))
                .isTrue();
        // A loader that sees only the JDK, as an application does on a server that does not expose OpenTelemetry.
        try (URLClassLoader jdkOnly = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(MailTelemetry.openTelemetryVisible(jdkOnly)).isFalse();
        }
    }
}
