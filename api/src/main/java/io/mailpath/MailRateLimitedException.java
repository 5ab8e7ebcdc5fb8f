package io.mailpath;

import java.time.Duration;
import java.util.List;

/**
 * The service asked the caller to slow down (HTTP 429), or a sending quota is used up (Mailtarget's 420). {@link
 * #retryAfter()} says how long it asked to wait, when it said; after a failover, the longest wait any path asked for.
 */
public class MailRateLimitedException extends MailException {
    /**
     * @param retryAfter how long the service asked to wait ({@code Retry-After}), or null when it said nothing (Mailtarget's
     *     420 quota)
     */
    public MailRateLimitedException(
            String message, String transport, int status, String errorCode, Duration retryAfter, Throwable cause) {
        super(FailureKind.RATE_LIMITED, message, transport, status, errorCode, cause, List.of(), retryAfter);
    }

    /** The failure of a send that failed over ({@link MailException#afterFailover}). */
    MailRateLimitedException(Failover failover) {
        super(FailureKind.RATE_LIMITED, failover);
    }
}
