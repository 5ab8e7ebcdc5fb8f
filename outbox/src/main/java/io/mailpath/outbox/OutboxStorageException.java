package io.mailpath.outbox;

import io.mailpath.FailureKind;
import io.mailpath.MailException;
import java.sql.SQLException;

/** The outbox's database failed (connection, statement, missing table); the cause is the driver's exception. */
public class OutboxStorageException extends MailException {
    public OutboxStorageException(String message, SQLException cause) {
        super(
                FailureKind.UNAVAILABLE,
                message + ": " + cause.getMessage() + " (SQLState " + cause.getSQLState() + ")",
                MailOutbox.TRANSPORT_NAME,
                NO_STATUS,
                cause.getSQLState(),
                cause);
    }
}
