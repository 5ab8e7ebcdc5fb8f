package io.mailpath.outbox;

/** Where an outbox entry stands; stored as its name in the {@code state} column. */
public enum OutboxState {
    /** Waiting to be sent, or being sent under a relay's lease, or waiting for its next try after a failure. */
    PENDING,
    /** A transport accepted it; kept for the retention period, then purged. */
    DELIVERED,
    /** Refused, or failing for too long: kept until retried or purged, never sent again by itself. */
    DEAD
}
