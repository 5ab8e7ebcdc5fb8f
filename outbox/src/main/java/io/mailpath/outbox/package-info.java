/**
 * A durable outbox in the application's own database: mail is enqueued in the caller's transaction and a relay sends
 * it later, through any {@link io.mailpath.MailTransport}, retrying with backoff until it is delivered or dies. These
 * are the plain Java pieces, for an application that runs them itself (Java SE, or its own scheduler):
 *
 * <pre>
 * MailOutbox outbox = new MailOutbox(dataSource, OutboxSettings.DEFAULTS); // creates the table when absent
 * String id = outbox.enqueue(mail); // sent only if the caller's transaction commits
 *
 * OutboxRelay relay = new OutboxRelay(outbox, mailTransport, dead -&gt; alerts.raise(dead.id()));
 * relay.drainOnce(); // from a scheduled task: claims due entries, sends each, records the outcome
 * </pre>
 *
 * <p>In a Jakarta EE container, {@link io.mailpath.outbox.cdi} injects the outbox and runs its relay on the
 * container's executor; the application only enqueues. {@link io.mailpath.outbox.OutboxSettings} holds what can be
 * tuned, {@link io.mailpath.outbox.OutboxDialect} the supported databases and their DDL; in a container an entry
 * that gave up is an {@link io.mailpath.outbox.OutboxEntryDied} event.
 */
package io.mailpath.outbox;
