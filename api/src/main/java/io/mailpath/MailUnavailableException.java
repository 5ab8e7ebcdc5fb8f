package io.mailpath;

/**
 * The service could not be reached or failed temporarily (connection refused or reset, TLS failure, timeout before
 * the request was sent, HTTP 5xx, SMTP 4xx). A retry or another transport may help; nothing was accepted.
 */
public class MailUnavailableException extends MailException {
    public MailUnavailableException(String message, String transport, int status, String errorCode, Throwable cause) {
        super(FailureKind.UNAVAILABLE, message, transport, status, errorCode, cause);
    }

    /**
     * The server refused every recipient one by one, each listed with its own reply ({@link #refusedRecipients()}).
     */
    public MailUnavailableException(
            String message,
            String transport,
            int status,
            String errorCode,
            Throwable cause,
            java.util.List<RejectedRecipient> refusedRecipients) {
        super(FailureKind.UNAVAILABLE, message, transport, status, errorCode, cause, refusedRecipients);
    }

    /** The failure of a send that failed over ({@link MailException#afterFailover}). */
    MailUnavailableException(Failover failover) {
        super(FailureKind.UNAVAILABLE, failover);
    }
}
