package io.mailpath;

/** Mailpath is set up wrongly: a missing or invalid configuration key, or a transport that is not on the class path. */
public class MailConfigurationException extends MailException {
    public MailConfigurationException(String message) {
        this(message, null);
    }

    public MailConfigurationException(String message, Throwable cause) {
        super(FailureKind.CONFIGURATION, message, null, NO_STATUS, null, cause);
    }

    /** The failure of a send that failed over ({@link MailException#afterFailover}). */
    MailConfigurationException(Failover failover) {
        super(FailureKind.CONFIGURATION, failover);
    }
}
