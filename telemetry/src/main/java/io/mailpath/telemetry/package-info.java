/**
 * Mailpath's metrics and spans through MicroProfile Telemetry (the OpenTelemetry API). With this jar in the
 * application, every routed send (the unnamed stream's and each named stream's) is counted per stream, transport and
 * outcome, its attempts timed, failovers and possible duplicates counted, the SMTP pool observed, and each send traced
 * as one span with its attempts as events; the names are in {@link io.mailpath.telemetry.TelemetryNames}. Nothing to
 * call: the server's {@code OpenTelemetry} exports them where MicroProfile Telemetry is enabled, for example on Open
 * Liberty:
 *
 * <pre>
 * # bootstrap.properties (or the application's microprofile-config.properties)
 * otel.sdk.disabled=false
 * otel.metrics.exporter=otlp
 * </pre>
 *
 * <p>Where the server has no MicroProfile Telemetry, or it is disabled, Mailpath records nothing and sends as usual.
 */
package io.mailpath.telemetry;
