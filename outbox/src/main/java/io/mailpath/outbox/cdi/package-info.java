/**
 * The outbox in a Jakarta EE container: {@code @Inject MailOutbox} on the application's data source (by JNDI name),
 * and its relay on the container's managed scheduled executor, sending through the routed {@code MailTransport}.
 *
 * <pre>
 * # microprofile-config.properties
 * mailpath.outbox.datasource=jdbc/app
 *
 * &#64;Inject MailOutbox outbox;
 * &#64;Transactional void placeOrder(Order order) {
 *     orders.persist(order);
 *     outbox.enqueue(confirmation(order)); // sent right after the commit; never if it rolls back
 * }
 * </pre>
 *
 * <p>The keys are those of {@link io.mailpath.outbox.cdi.OutboxConfiguration}; each death of an entry is an
 * {@link io.mailpath.outbox.OutboxEntryDied} event.
 */
package io.mailpath.outbox.cdi;
