package io.mailpath.outbox;

import io.mailpath.MailRejectedException;

/**
 * The outbox already holds a message with this id (the table's primary key): a message given an idempotency key as
 * its id ({@code Mail.builder().id(key)}) is enqueued once. The database refused the row; on PostgreSQL the caller's
 * transaction can then only roll back.
 */
public class DuplicateMailIdException extends MailRejectedException {
    private final String mailId;

    public DuplicateMailIdException(String mailId, Throwable cause) {
        super("the outbox already holds mail " + mailId, MailOutbox.TRANSPORT_NAME, NO_STATUS, null, cause);
        this.mailId = mailId;
    }

    /** The id enqueued twice. */
    public String mailId() {
        return mailId;
    }
}
