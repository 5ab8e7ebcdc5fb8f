package io.mailpath.telemetry;

import static io.mailpath.telemetry.TelemetryNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.events.CanaryDelivered;
import io.mailpath.events.CanaryEvent;
import io.mailpath.events.CanaryMissed;
import io.mailpath.testing.MailpathTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/** The canary's events, fired as the health module's canary fires them, counted per transport. */
@MailpathTest(config = {"mailpath.transports=memory", "MP_Fault_Tolerance_Metrics_Enabled=false"})
@AddBeanClasses({MailTelemetry.class, InMemoryOpenTelemetry.class, FaultToleranceMeter.class})
class CanaryTelemetryTest {
    private static final Instant SENT = Instant.parse("2026-11-22T12:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Inject
    Event<CanaryEvent> canary;

    @Inject
    InMemoryOpenTelemetry otel;

    private static Attributes through(String transport) {
        return Attributes.of(AttributeKey.stringKey(TRANSPORT), transport);
    }

    private static Attributes through(String stream, String transport) {
        return Attributes.of(AttributeKey.stringKey(STREAM), stream, AttributeKey.stringKey(TRANSPORT), transport);
    }

    @Test
    void eachCanaryIsCountedDeliveredOrMissedByItsTransport() {
        canary.fire(new CanaryDelivered("api", "mailpath-canary-1", SENT, WINDOW, SENT.plusSeconds(20)));
        canary.fire(new CanaryMissed("smtp", "mailpath-canary-2", SENT, WINDOW));
        canary.fire(new CanaryMissed("smtp", "mailpath-canary-3", SENT, WINDOW));

        assertThat(otel.count(CANARY_DELIVERED, through("api"))).isEqualTo(1);
        assertThat(otel.count(CANARY_MISSED, through("smtp"))).isEqualTo(2);
        assertThat(otel.count(CANARY_MISSED, through("api"))).isZero();
        assertThat(otel.count(CANARY_DELIVERED, through("smtp"))).isZero();
    }

    @Test
    void aStreamsCanariesAreCountedApart() {
        canary.fire(new CanaryMissed("api", "mailpath-canary-4", SENT, WINDOW, "marketing"));

        assertThat(otel.count(CANARY_MISSED, through("marketing", "api"))).isEqualTo(1);
        assertThat(otel.count(CANARY_MISSED, through("api"))).isZero();
    }
}
