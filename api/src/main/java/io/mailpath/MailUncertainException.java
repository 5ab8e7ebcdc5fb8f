package io.mailpath;

/**
 * The request was sent but no answer came back (a read timeout, a connection lost after the request): the message
 * may have been accepted. Sending it again may deliver it twice.
 */
public class MailUncertainException extends MailException {
    public MailUncertainException(String message, String transport, int status, String errorCode, Throwable cause) {
        super(FailureKind.UNCERTAIN, message, transport, status, errorCode, cause);
    }

    /** The failure of a send that failed over ({@link MailException#afterFailover}). */
    MailUncertainException(Failover failover) {
        super(FailureKind.UNCERTAIN, failover);
    }
}
