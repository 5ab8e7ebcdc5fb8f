package io.mailpath;

import java.time.Duration;

/**
 * One try at sending through one transport.
 *
 * @param transport the transport's name
 * @param failure what went wrong, or null if this attempt delivered
 * @param status the HTTP status or SMTP reply code, or {@link MailException#NO_STATUS}
 * @param duration how long the attempt took
 * @param detail a short description of the failure, or null; never contains secrets, but may quote the server, and
 *     with it recipients' addresses
 * @param recipientsRefused whether the failure was the server refusing every recipient one by one
 *     ({@link MailException#refusedRecipients()}) rather than the message or the transport
 */
public record Attempt(
        String transport,
        FailureKind failure,
        int status,
        Duration duration,
        String detail,
        boolean recipientsRefused) {
    /** An attempt whose failure, if any, was not a refusal of its recipients. */
    public Attempt(String transport, FailureKind failure, int status, Duration duration, String detail) {
        this(transport, failure, status, duration, detail, false);
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
                !e.refusedRecipients().isEmpty());
    }

    public boolean isSuccess() {
        return failure == null;
    }
}
