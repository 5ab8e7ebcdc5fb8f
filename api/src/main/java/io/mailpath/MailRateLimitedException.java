package io.mailpath;

import java.time.Duration;
import java.util.Optional;

/** The service asked the caller to slow down (HTTP 429), or a sending quota is used up (Mailtarget's 420). */
public class MailRateLimitedException extends MailException {
    private final Duration retryAfter;

    public MailRateLimitedException(
            String message, String transport, int status, String errorCode, Duration retryAfter, Throwable cause) {
        super(FailureKind.RATE_LIMITED, message, transport, status, errorCode, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the service asked to wait, when it said ({@code Retry-After}); empty for Mailtarget's 420 quota. */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
