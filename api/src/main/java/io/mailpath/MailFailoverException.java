package io.mailpath;

import java.util.List;

/**
 * Every transport tried failed. {@link #attempts()} lists each try in order (transport, failure kind, status, duration);
 * the cause is the last failure, and {@link #kind()} is its kind. Earlier failures are attached as suppressed
 * exceptions.
 */
public class MailFailoverException extends MailException {
    private final List<Attempt> attempts;

    public MailFailoverException(List<Attempt> attempts, MailException last) {
        super(last.kind(), describe(attempts), last.transport(), last.status(), last.errorCode(), last);
        this.attempts = List.copyOf(attempts);
    }

    /** Each attempt, in the order made. */
    public List<Attempt> attempts() {
        return attempts;
    }

    private static String describe(List<Attempt> attempts) {
        StringBuilder s = new StringBuilder("Every transport failed (" + attempts.size() + " attempts):");
        for (Attempt a : attempts) {
            s.append("\n  ").append(a.transport()).append(": ").append(a.failure());
            if (a.status() != NO_STATUS) {
                s.append(' ').append(a.status());
            }
            s.append(" after ").append(a.duration().toMillis()).append(" ms");
            if (a.detail() != null) {
                s.append(" - ").append(a.detail());
            }
        }
        return s.toString();
    }
}
