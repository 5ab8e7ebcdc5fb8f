package io.mailpath;

/**
 * What kind of failure a {@link MailException} reports, which says what can help.
 */
public enum FailureKind {
    /** The message or request is wrong: fix it. Retrying or another transport does not help. */
    REJECTED,
    /** The credentials are wrong or lack a permission: fix the configuration. */
    AUTHENTICATION,
    /** The service asks the caller to slow down; a retry after {@link MailException#retryAfter()} may help. */
    RATE_LIMITED,
    /** The service could not be reached or failed temporarily: retry, or use another transport. */
    UNAVAILABLE,
    /** The request was sent but no answer came back: the message may have been accepted. */
    UNCERTAIN,
    /** Mailpath itself is set up wrongly (a missing key, an unknown transport). */
    CONFIGURATION
}
