package io.mailpath;

import java.time.Duration;

/**
 * One try at sending through one transport, or a transport passed over because it cannot carry the message
 * ({@link #skipped()}).
 *
 * @param transport the transport's name
 * @param failure what went wrong, or null if this attempt delivered; for a skipped transport, {@link
 *     FailureKind#REJECTED}: what that transport alone would answer, never the kind of the send as a whole
 * @param status the HTTP status or SMTP reply code, or {@link MailException#NO_STATUS}
 * @param duration how long the attempt took
 * @param detail a short description of the failure, or null; never contains secrets, but may quote the server, and
 *     with it recipients' addresses
 * @param skipped true when the transport was not tried because it cannot carry this message (a template message
 *     without fallback body, on a transport that cannot render templates); {@link #detail()} says why
 * @param recipientsRefused whether the failure was the server refusing every recipient one by one
 *     ({@link MailException#refusedRecipients()}) rather than the message or the transport
 * @param retryAfter how long the service asked to wait before this transport is tried again ({@link
 *     MailException#retryAfter()}), or null when it asked nothing: a receipt's earlier attempts keep it, so that a
 *     later try of the same message does not come back too soon
 */
public record Attempt(
        String transport,
        FailureKind failure,
        int status,
        Duration duration,
        String detail,
        boolean skipped,
        boolean recipientsRefused,
        Duration retryAfter) {
    /** An attempt that was made (not {@linkplain #skipped() skipped}) whose failure, if any, was not a refusal of its
     * recipients. */
    public Attempt(String transport, FailureKind failure, int status, Duration duration, String detail) {
        this(transport, failure, status, duration, detail, false, false, null);
    }

    public static Attempt succeeded(String transport, int status, Duration duration) {
        return new Attempt(transport, null, status, duration, null);
    }

    public static Attempt failed(String transport, MailException e, Duration duration) {
        return new Attempt(
                transport,
                e.kind(),
                e.status(),
                duration,
                e.getMessage(),
                false,
                !e.refusedRecipients().isEmpty(),
                e.retryAfter().orElse(null));
    }

    /** A transport that was not tried, because it cannot carry the message, and why. */
    public static Attempt skipped(String transport, String reason) {
        return new Attempt(
                transport, FailureKind.REJECTED, MailException.NO_STATUS, Duration.ZERO, reason, true, false, null);
    }

    public boolean isSuccess() {
        return failure == null;
    }
}
