/**
 * The application the cluster test deploys on two Open Liberty servers sharing one PostgreSQL outbox (not a published
 * API): endpoints under {@code /api} through which the test enqueues in a JTA transaction, reads entries as the relays
 * left them, and counts the {@code OutboxEntryDied} events each server saw.
 */
package io.mailpath.cluster.app;
