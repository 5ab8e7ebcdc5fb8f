package io.mailpath.outbox.property;

import java.time.Duration;

/**
 * One passing fault a scripted path ({@link ScriptedPaths}) answers one call with: for the whole call, or for one
 * recipient only (its own copy, or its RCPT when the message goes out as one copy to all).
 *
 * @param kind what goes wrong
 * @param recipient the index of the one recipient it hits (in {@code Mail.allRecipients()}), or -1 for the whole call
 * @param retryAfter the {@code Retry-After} of a rate-limited call, or null when the peer says nothing
 */
record Fault(Kind kind, int recipient, Duration retryAfter) {
    /** What a peer does wrong; every kind but a rejection, which {@link MessagePlan} holds for good. */
    enum Kind {
        /** HTTP 503 / SMTP 451: nothing was accepted. */
        UNAVAILABLE,
        /** HTTP 401 / SMTP 535. */
        AUTHENTICATION,
        /** HTTP 429, with or without {@code Retry-After}. */
        RATE_LIMITED,
        /** The peer took the whole message, then the answer was lost. */
        UNCERTAIN_AFTER_ACCEPT,
        /** The connection broke once the request was written, but the peer had not taken it. */
        UNCERTAIN_BEFORE_ACCEPT,
        /** The peer answers well, but only after longer than a relay's lease (the test clock jumps meanwhile). */
        SLOW
    }

    static Fault whole(Kind kind) {
        return new Fault(kind, -1, null);
    }

    /** A fault of one recipient's copy (or RCPT) only. */
    static Fault of(int recipient, Kind kind) {
        return new Fault(kind, recipient, null);
    }

    /** A whole call answered 429 with this {@code Retry-After}. */
    static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMITED, -1, retryAfter);
    }

    boolean wholeCall() {
        return recipient < 0;
    }

    @Override
    public String toString() {
        String what = kind == Kind.RATE_LIMITED && retryAfter != null
                ? "RATE_LIMITED(Retry-After " + retryAfter.toMinutes() + " min)"
                : kind.name();
        return wholeCall() ? what : "r" + recipient + ":" + what;
    }
}
