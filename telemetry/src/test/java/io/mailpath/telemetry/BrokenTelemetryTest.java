package io.mailpath.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.telemetry.BrokenOpenTelemetry.Failing;
import io.mailpath.testing.LogCapture;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Telemetry never changes a send's outcome: with the real OpenTelemetry SDK whose span processor throws when a span
 * starts or ends, a delivered send still returns its receipt (a caller that saw an exception would send again: a
 * duplicate), and a failed one still throws its own Mailpath exception, synchronously and asynchronously.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            // See FaultToleranceMeter
            "MP_Fault_Tolerance_Metrics_Enabled=false"
        })
@AddBeanClasses({MailTelemetry.class, TracedMailTransport.class, BrokenOpenTelemetry.class, FaultToleranceMeter.class})
class BrokenTelemetryTest {
    @Inject
    MailTransport mail;

    @Inject
    BrokenOpenTelemetry otel;

    private final Mailbox primary = Mailbox.of("memory");

    private static Mail message() {
        return Mail.builder()
                .from("shop@example.com")
                .to("ann@example.com")
                .subject("Your order")
                .text("Thanks.")
                .build();
    }

    @ParameterizedTest
    @EnumSource(names = {"ON_START", "ON_END"})
    void aDeliveredSendReturnsItsReceipt(Failing failing) {
        otel.failing = failing;

        SendReceipt receipt = mail.send(message());

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(primary.messages()).hasSize(1);
        assertThat(otel.thrown).hasPositiveValue();
    }

    @ParameterizedTest
    @EnumSource(names = {"ON_START", "ON_END"})
    void aFailedSendThrowsItsOwnException(Failing failing) {
        otel.failing = failing;
        primary.failNext(1, SimulatedFailure.rejected(422));

        assertThatThrownBy(() -> mail.send(message())).isInstanceOf(MailRejectedException.class);
        assertThat(otel.thrown).hasPositiveValue();
    }

    @ParameterizedTest
    @EnumSource(names = {"ON_START", "ON_END"})
    void aDeliveredSendAsyncCompletesWithItsReceipt(Failing failing) throws Exception {
        otel.failing = failing;

        SendReceipt receipt = mail.sendAsync(message()).toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(primary.messages()).hasSize(1);
        assertThat(otel.thrown).hasPositiveValue();
    }

    @ParameterizedTest
    @EnumSource(names = {"ON_START", "ON_END"})
    void aFailedSendAsyncCompletesWithItsOwnException(Failing failing) {
        otel.failing = failing;
        primary.failNext(1, SimulatedFailure.rejected(422));

        var stage = mail.sendAsync(message()).toCompletableFuture();

        assertThatThrownBy(() -> stage.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(MailRejectedException.class);
        assertThat(otel.thrown).hasPositiveValue();
    }

    @Test
    void aRecordingThatKeepsFailingIsLoggedOnceAsAWarning() {
        otel.failing = Failing.ON_END;
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                mail.send(message());
            }

            assertThat(otel.thrown).hasValue(3);
            assertThat(log.lines)
                    .filteredOn(l -> l.logger().startsWith("io.mailpath.telemetry"))
                    .filteredOn(l -> l.text().contains("span processor failed"))
                    .hasSize(1);
        }
    }
}
