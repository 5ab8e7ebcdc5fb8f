package io.mailpath;

import java.util.List;

/**
 * Every transport tried failed. {@link #attempts()} lists each try in order (transport, failure kind, status, duration);
 * the cause is the last failure and earlier ones are attached as suppressed exceptions. {@link #kind()} is the last
 * failure's, except that it is {@link FailureKind#UNCERTAIN} when an earlier attempt may have delivered the message
 * ({@link #possibleDuplicate()}): sending it again may then deliver it twice.
 *
 * <p>The routed {@code MailTransport} throws this type for every failure that came after a failover, whatever its
 * kind: a template message without fallback body whose primary failed, for example, ends here with kind
 * {@link FailureKind#REJECTED}, not as a {@link MailRejectedException}. Decide by {@link #kind()}.
 */
public class MailFailoverException extends MailException {
    private final List<Attempt> attempts;
    private final boolean possibleDuplicate;

    public MailFailoverException(List<Attempt> attempts, MailException last, boolean possibleDuplicate) {
        super(
                possibleDuplicate ? FailureKind.UNCERTAIN : last.kind(),
                describe(attempts, possibleDuplicate),
                last.transport(),
                last.status(),
                last.errorCode(),
                last);
        this.attempts = List.copyOf(attempts);
        this.possibleDuplicate = possibleDuplicate;
    }

    /** Each attempt, in the order made. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** Whether an attempt's outcome was uncertain, so that the message may have been delivered after all. */
    public boolean possibleDuplicate() {
        return possibleDuplicate;
    }

    private static String describe(List<Attempt> attempts, boolean possibleDuplicate) {
        StringBuilder s = new StringBuilder("Every transport failed (" + attempts.size() + " attempts)");
        s.append(possibleDuplicate ? "; an uncertain attempt may have delivered the message:" : ":");
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
