package io.mailpath;

/** The message or request was refused as it is: fix it. Never retried and never sent through another transport. */
public class MailRejectedException extends MailException {
    public MailRejectedException(String message, String transport, int status, String errorCode, Throwable cause) {
        super(FailureKind.REJECTED, message, transport, status, errorCode, cause);
    }

    /**
     * The server refused every recipient one by one, each listed with its own reply ({@link #refusedRecipients()}).
     */
    public MailRejectedException(
            String message,
            String transport,
            int status,
            String errorCode,
            Throwable cause,
            java.util.List<RejectedRecipient> refusedRecipients) {
        super(FailureKind.REJECTED, message, transport, status, errorCode, cause, refusedRecipients);
    }

    /** The failure of a send that failed over ({@link MailException#afterFailover}). */
    MailRejectedException(Failover failover) {
        super(FailureKind.REJECTED, failover);
    }
}
