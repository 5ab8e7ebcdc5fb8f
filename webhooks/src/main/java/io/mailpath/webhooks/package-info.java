/**
 * Mailtarget's delivery webhooks as CDI events. With this jar in the application and two keys set
 * ({@code mailpath.webhooks.username}, {@code mailpath.webhooks.password}: the HTTP Basic credentials entered in
 * Mailtarget's dashboard), the receiver listens at {@code /mailpath/webhooks} below the context root and fires each
 * event once, correlated to the message's stable id:
 *
 * <pre>
 * void onDelivery(&#64;Observes DeliveryEvent event) {
 *     if (event.type() == DeliveryEvent.Type.BOUNCED) {
 *         orders.markUndeliverable(event.mailpathId(), event.recipient());
 *     }
 * }
 * </pre>
 *
 * <p>Mailtarget gets a 2xx only after the synchronous observers of every event of the batch returned; one that throws
 * makes it send the batch again, and only the events not yet delivered are fired then (at least once).
 * {@link io.mailpath.webhooks.EventIdStore} shares the delivered event ids between servers.
 */
package io.mailpath.webhooks;
