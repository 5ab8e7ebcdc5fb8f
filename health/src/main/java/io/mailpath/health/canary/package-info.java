/**
 * The canary: a small message sent through each transport alone, every interval, whose delivery event is expected
 * back from the webhook receiver within a window. It proves that mail flows when the application sends none, and
 * raises the alarm when mail is accepted but no longer delivered. Operators turn it on with two keys; applications do
 * not call it:
 *
 * <pre>
 * # microprofile-config.properties
 * mailpath.canary.to=seed@inbox.example.com
 * mailpath.canary.from=canary@yourcompany.com
 * </pre>
 *
 * <p>{@link io.mailpath.health.canary.Canary} sends and watches, and adds {@code <transport>.canary.*} to the
 * readiness data ({@code stream.<name>.<transport>.canary.*} for a named stream's canary: each stream of
 * {@code mailpath.streams} has its own, through its own transports, with {@code mailpath.stream.<name>.canary.*} over
 * the shared keys); {@link io.mailpath.health.canary.CanarySettings} holds the keys, checked when the application is
 * deployed; each canary ends in an {@link io.mailpath.events.CanaryEvent}. The work runs on the container's managed
 * scheduled executor ({@link io.mailpath.health.canary.ManagedCanaryScheduler}); a test supplies its own
 * {@link io.mailpath.health.canary.CanaryScheduler} to move the clock.
 */
package io.mailpath.health.canary;
