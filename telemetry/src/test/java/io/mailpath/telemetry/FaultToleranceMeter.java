package io.mailpath.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The {@code Meter} bean SmallRye Fault Tolerance looks up whenever the OpenTelemetry API is on the class path (a
 * MicroProfile Telemetry server offers one). Its own metrics stay off in these tests
 * ({@code MP_Fault_Tolerance_Metrics_Enabled=false}): they need a newer API than the 1.29 Mailpath is tested against.
 */
@Singleton
public class FaultToleranceMeter {
    @Produces
    @Singleton
    Meter meter() {
        return OpenTelemetry.noop().getMeter("smallrye-fault-tolerance");
    }
}
