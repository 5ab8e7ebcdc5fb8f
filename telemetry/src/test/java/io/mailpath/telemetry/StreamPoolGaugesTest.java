package io.mailpath.telemetry;

import static io.mailpath.telemetry.TelemetryNames.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailStream;
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

/**
 * A named stream has its own transports, so its own connection pools: the pool gauges report a named stream's pool
 * under its stream, not the unnamed stream's pool of the same transport.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=marketing",
            "mailpath.stream.marketing.transports=pooled",
            "MP_Fault_Tolerance_Metrics_Enabled=false"
        })
@AddBeanClasses({
    MailTelemetry.class,
    TracedMailTransport.class,
    TracedStreamSender.class,
    InMemoryOpenTelemetry.class,
    FaultToleranceMeter.class
})
class StreamPoolGaugesTest {
    private static final AttributeKey<String> STREAM_KEY = AttributeKey.stringKey(STREAM);
    private static final AttributeKey<String> TRANSPORT_KEY = AttributeKey.stringKey(TRANSPORT);
    private static final AttributeKey<String> STATE_KEY = AttributeKey.stringKey(POOL_STATE);

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Inject
    InMemoryOpenTelemetry otel;

    @AfterEach
    void resetPool() {
        PooledTransportProvider.pool = new ConnectionPoolState(4, 0, 0, 0);
    }

    @Test
    void aNamedStreamsPoolIsReportedUnderItsStream() {
        marketing.send(SendTelemetryTest.message("ann@news.example.com"));
        PooledTransportProvider.pool = new ConnectionPoolState(4, 3, 1, 2);

        assertThat(otel.point(
                                POOL_CONNECTIONS,
                                Attributes.of(STREAM_KEY, "marketing", TRANSPORT_KEY, "pooled", STATE_KEY, "in_use"))
                        .map(p -> ((LongPointData) p).getValue()))
                .as("marketing's own pool")
                .contains(3L);
        assertThat(otel.point(POOL_CONNECTIONS, Attributes.of(TRANSPORT_KEY, "pooled", STATE_KEY, "in_use")))
                .as("the unnamed stream never sent through pooled: it has no pool to report")
                .isEmpty();
    }
}
