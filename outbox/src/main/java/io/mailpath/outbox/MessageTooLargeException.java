package io.mailpath.outbox;

import io.mailpath.MailRejectedException;

/**
 * The message is larger than the outbox stores ({@link OutboxSettings#maxMessageBytes()}): nothing was written, the
 * caller's transaction is untouched.
 */
public class MessageTooLargeException extends MailRejectedException {
    private final String mailId;
    private final long size;
    private final long limit;

    public MessageTooLargeException(String mailId, long size, long limit) {
        super(
                "mail " + mailId + " takes " + size + " bytes stored; the outbox stores at most " + limit,
                MailOutbox.TRANSPORT_NAME,
                NO_STATUS,
                null,
                null);
        this.mailId = mailId;
        this.size = size;
        this.limit = limit;
    }

    /** The message's id. */
    public String mailId() {
        return mailId;
    }

    /** Its stored size in bytes: the fields as JSON (UTF-8) plus the attachments' bytes. */
    public long size() {
        return size;
    }

    /** The largest size the outbox stores. */
    public long limit() {
        return limit;
    }
}
