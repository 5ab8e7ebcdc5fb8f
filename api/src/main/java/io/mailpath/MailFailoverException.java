package io.mailpath;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every transport tried failed. {@link #attempts()} lists each try in order (transport, failure kind, status, duration),
 * and each transport passed over because it cannot carry the message ({@link Attempt#skipped()}, with the reason); the
 * cause is the last failure and earlier ones are attached as suppressed exceptions. {@link #kind()} is the last
 * failure's, except that it is {@link FailureKind#UNCERTAIN} when an earlier attempt may have delivered the message
 * ({@link #possibleDuplicate()}): sending it again may then deliver it twice.
 *
 * <p>A skipped transport never sets the kind: a template message without fallback body whose API call failed with 503
 * ends here with kind {@link FailureKind#UNAVAILABLE} (the API may take it later), and the message says that SMTP could
 * not render the template and that a fallback body would let it.
 *
 * <p>The routed {@code MailTransport} throws this type for every failure that came after a failover, whatever its
 * kind: decide by {@link #kind()}, not by the type.
 */
public class MailFailoverException extends MailException {
    private final List<Attempt> attempts;
    private final boolean possibleDuplicate;
    private final Duration retryAfter;

    /** Every transport failed, and {@code last} is the only failure kept (earlier tries are in the attempts only). */
    public MailFailoverException(List<Attempt> attempts, MailException last, boolean possibleDuplicate) {
        this(attempts, last, List.of(), possibleDuplicate);
    }

    /**
     * Every transport failed.
     *
     * @param attempts each try in order, and each transport skipped
     * @param last the last failure: the cause, and the source of the kind, status and transport
     * @param earlier the failures before it, attached as suppressed exceptions
     * @param possibleDuplicate whether an attempt's outcome was uncertain
     */
    public MailFailoverException(
            List<Attempt> attempts,
            MailException last,
            List<? extends MailException> earlier,
            boolean possibleDuplicate) {
        super(
                possibleDuplicate ? FailureKind.UNCERTAIN : last.kind(),
                describe(attempts, possibleDuplicate),
                last.transport(),
                last.status(),
                last.errorCode(),
                last);
        this.attempts = List.copyOf(attempts);
        this.possibleDuplicate = possibleDuplicate;
        Duration longest = last.retryAfter().orElse(null);
        for (MailException e : earlier) {
            if (e != last) {
                addSuppressed(e);
                Duration asked = e.retryAfter().orElse(null);
                if (asked != null && (longest == null || asked.compareTo(longest) > 0)) {
                    longest = asked;
                }
            }
        }
        this.retryAfter = longest;
    }

    /** Each attempt, in the order made, with the transports skipped. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** Whether an attempt's outcome was uncertain, so that the message may have been delivered after all. */
    public boolean possibleDuplicate() {
        return possibleDuplicate;
    }

    /**
     * The longest {@code Retry-After} among the rate-limited failures (the last and the earlier ones): no path that
     * asked to wait takes the message sooner. Empty when none said.
     */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String describe(List<Attempt> attempts, boolean possibleDuplicate) {
        long skipped = attempts.stream().filter(Attempt::skipped).count();
        StringBuilder s = new StringBuilder("Every transport failed (" + (attempts.size() - skipped) + " attempts");
        if (skipped > 0) {
            s.append(", ").append(skipped).append(skipped == 1 ? " transport" : " transports");
            s.append(" skipped: cannot carry the message");
        }
        s.append(')');
        s.append(possibleDuplicate ? "; an uncertain attempt may have delivered the message:" : ":");
        for (Attempt a : attempts) {
            s.append("\n  ").append(a.transport()).append(": ");
            if (a.skipped()) {
                s.append("skipped");
            } else {
                s.append(a.failure());
                if (a.status() != NO_STATUS) {
                    s.append(' ').append(a.status());
                }
                s.append(" after ").append(a.duration().toMillis()).append(" ms");
            }
            if (a.detail() != null) {
                s.append(" - ").append(a.detail());
            }
        }
        return s.toString();
    }
}
