/**
 * What the routed {@code MailTransport} tells the application about each send, as CDI events. Observe them
 * synchronously ({@code @Observes}, on the sender's thread before {@code send} returns) or asynchronously
 * ({@code @ObservesAsync}); observe {@link io.mailpath.events.MailEvent} for all of them.
 *
 * <pre>
 * void alert(&#64;ObservesAsync MailFailedOver e) {
 *     pager.warn("Mail " + e.mailId() + ": '" + e.failedTransport() + "' failed (" + e.reason()
 *             + "), delivered by '" + e.deliveredBy() + "'");
 * }
 * </pre>
 *
 * <p>An observer that throws is logged and never changes the outcome of the send.
 *
 * <p>The canary of {@code mailpath-health}, when configured, fires a {@link io.mailpath.events.CanaryEvent} for each
 * canary it sent: {@link io.mailpath.events.CanaryDelivered}, or {@link io.mailpath.events.CanaryMissed} when no
 * delivery event came in time.
 */
package io.mailpath.events;
