package io.mailpath.telemetry;

import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.KeyGroup;

/**
 * The OpenTelemetry keys that decide whether and how often Mailpath's metrics and spans leave the server. Mailpath
 * reads none of them: the server's MicroProfile Telemetry does. They are listed for the configuration reference.
 */
public final class OpenTelemetryKeys {
    /** The keys, for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Telemetry (OpenTelemetry's keys)",
            "Mailpath records through the server's MicroProfile Telemetry; these OpenTelemetry keys, set as system"
                    + " properties, environment variables (`OTEL_SDK_DISABLED=false`) or in the application's"
                    + " `microprofile-config.properties`, decide where the records go.",
            ConfigKey.bool(
                    "otel.sdk.disabled",
                    true,
                    "MicroProfile Telemetry's SDK is off until this is `false`; until then nothing is exported."),
            ConfigKey.string("otel.metrics.exporter", "Where metrics go, such as `otlp` or `logging`.")
                    .documentedDefault("the SDK's (`otlp`)"),
            ConfigKey.string("otel.traces.exporter", "Where spans go, such as `otlp` or `logging`.")
                    .documentedDefault("the SDK's (`otlp`)"),
            ConfigKey.string("otel.exporter.otlp.endpoint", "The OTLP collector's URL.")
                    .documentedDefault("the SDK's"),
            ConfigKey.millis(
                    "otel.metric.export.interval",
                    60_000,
                    "Milliseconds between two exports of the metrics: lower it to see Mailpath's counters sooner."));

    private OpenTelemetryKeys() {}
}
