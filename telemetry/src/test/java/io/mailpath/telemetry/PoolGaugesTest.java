package io.mailpath.telemetry;

import static io.mailpath.telemetry.TelemetryNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailTransport;
import io.mailpath.spi.ConnectionPoolState;
import io.mailpath.testing.MailpathTest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import jakarta.inject.Inject;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool gauges read a transport's pool figures each time the metrics are collected. */
@MailpathTest(config = {"mailpath.transports=pooled", "MP_Fault_Tolerance_Metrics_Enabled=false"})
@AddBeanClasses({MailTelemetry.class, TracedMailTransport.class, InMemoryOpenTelemetry.class, FaultToleranceMeter.class
})
class PoolGaugesTest {
    @Inject
    MailTransport mail;

    @Inject
    InMemoryOpenTelemetry otel;

    @AfterEach
    void resetPool() {
        PooledTransportProvider.pool = new ConnectionPoolState(4, 0, 0, 0);
    }

    private long connections(String state) {
        return otel.point(
                        POOL_CONNECTIONS,
                        Attributes.of(
                                AttributeKey.stringKey(TRANSPORT), "pooled", AttributeKey.stringKey(POOL_STATE), state))
                .map(p -> ((LongPointData) p).getValue())
                .orElseThrow(() -> new AssertionError("no " + POOL_CONNECTIONS + " point for " + state));
    }

    @Test
    void theGaugesFollowThePoolOfATransportThatSent() {
        assertThat(otel.collect()).noneMatch(m -> m.getName().equals(POOL_CONNECTIONS) && !m.isEmpty());

        mail.send(SendTelemetryTest.message("ann@example.com"));
        PooledTransportProvider.pool = new ConnectionPoolState(4, 3, 1, 2);

        assertThat(connections("open")).isEqualTo(4);
        assertThat(connections("in_use")).isEqualTo(3);
        assertThat(connections("idle")).isEqualTo(1);
        assertThat(connections("waiting")).isEqualTo(2);
        assertThat(otel.point(POOL_MAX, Attributes.of(AttributeKey.stringKey(TRANSPORT), "pooled"))
                        .map(p -> ((LongPointData) p).getValue()))
                .contains(4L);

        PooledTransportProvider.pool = new ConnectionPoolState(4, 0, 2, 0);

        assertThat(connections("open")).isEqualTo(2);
        assertThat(connections("in_use")).isZero();
        assertThat(connections("waiting")).isZero();
    }
}
