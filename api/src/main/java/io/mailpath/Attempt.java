package io.mailpath;

import java.time.Duration;

/**
 * One try at sending through one transport.
 *
 * @param transport the transport's name
 * @param failure what went wrong, or null if this attempt delivered
 * @param status the HTTP status or SMTP reply code, or {@link MailException#NO_STATUS}
 * @param duration how long the attempt took
 * @param detail a short description of the failure, or null; never contains secrets
 */
public record Attempt(String transport, FailureKind failure, int status, Duration duration, String detail) {
    public static Attempt succeeded(String transport, int status, Duration duration) {
        return new Attempt(transport, null, status, duration, null);
    }

    public static Attempt failed(String transport, MailException e, Duration duration) {
        return new Attempt(transport, e.kind(), e.status(), duration, e.getMessage());
    }

    public boolean isSuccess() {
        return failure == null;
    }
}
