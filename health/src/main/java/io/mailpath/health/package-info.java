/**
 * Mailpath's MicroProfile Health readiness check: adding {@code io.mailpath:mailpath-health} to an application whose
 * server has MicroProfile Health registers it.
 *
 * <pre>
 * GET /health/ready
 * {"status":"UP","checks":[{"name":"mailpath","status":"UP","data":{
 *     "transports":"api,smtp","failure-window-ms":30000,
 *     "api.state":"DOWN","api.last-failure.kind":"UNAVAILABLE","api.circuit":"open", ...,
 *     "smtp.state":"UP","smtp.last-success":"2026-11-22T12:04:03.123Z","smtp.pool.open":2, ...}}]}
 * </pre>
 *
 * <p>{@link io.mailpath.health.MailpathReadinessCheck} is DOWN only while no transport can send;
 * {@link io.mailpath.health.TransportStatusBoard} keeps what the routed sends showed of each transport;
 * {@link io.mailpath.health.ReadinessDetails} lets other parts of Mailpath add to each transport's data. The key is
 * {@link io.mailpath.health.HealthSettings#FAILURE_WINDOW}.
 */
package io.mailpath.health;
