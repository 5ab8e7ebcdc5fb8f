package io.mailpath;

/** The credentials were refused, or lack the permission to send (HTTP 401/403, SMTP 535). */
public class MailAuthenticationException extends MailException {
    public MailAuthenticationException(
            String message, String transport, int status, String errorCode, Throwable cause) {
        super(FailureKind.AUTHENTICATION, message, transport, status, errorCode, cause);
    }

    /** The failure of a send that failed over ({@link MailException#afterFailover}). */
    MailAuthenticationException(Failover failover) {
        super(FailureKind.AUTHENTICATION, failover);
    }
}
