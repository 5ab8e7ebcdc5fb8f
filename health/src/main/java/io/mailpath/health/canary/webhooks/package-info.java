/**
 * The canary's link to the webhook receiver, kept apart so that nothing else of the canary names a webhooks type:
 * {@link io.mailpath.health.canary.webhooks.CanaryDeliveryObserver} hands each delivery event to the canary, and is
 * added as a bean by {@link io.mailpath.health.canary.CanaryExtension} only when the application has
 * {@code io.mailpath:mailpath-webhooks}. Without that module the canary only sends. Nothing here is called by
 * applications.
 */
package io.mailpath.health.canary.webhooks;
