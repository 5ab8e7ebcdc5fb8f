package io.mailpath;

/**
 * A recipient the message did not surely reach while it reached others.
 *
 * @param address the recipient
 * @param kind {@link FailureKind#REJECTED} (refused: fix the address), {@link FailureKind#UNAVAILABLE} (not delivered;
 *     sending again may work), or {@link FailureKind#UNCERTAIN} (may have been delivered: sending again may duplicate)
 * @param status the reply code or HTTP status, or {@link MailException#NO_STATUS}
 * @param reason the server's reason
 */
public record RejectedRecipient(String address, FailureKind kind, int status, String reason) {
    /** A recipient the server refused with a reply code: 4xx is temporary (unavailable), anything else rejected. */
    public static RejectedRecipient refused(String address, int status, String reason) {
        FailureKind kind = status >= 400 && status < 500 ? FailureKind.UNAVAILABLE : FailureKind.REJECTED;
        return new RejectedRecipient(address, kind, status, reason);
    }

    /** A recipient whose own send failed with this error. */
    public static RejectedRecipient failed(String address, MailException e) {
        return new RejectedRecipient(address, e.kind(), e.status(), e.getMessage());
    }
}
