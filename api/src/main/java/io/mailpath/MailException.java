package io.mailpath;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The root of every error Mailpath raises. It is unchecked; its subclass (and {@link #kind()}) says what can help, on
 * every route: a rejection that came after a failover is still a {@link MailRejectedException}.
 *
 * <table>
 *   <caption>The subclass of each kind</caption>
 *   <tr><th>Kind</th><th>Type</th><th>What to do</th></tr>
 *   <tr><td>{@link FailureKind#REJECTED}</td><td>{@link MailRejectedException} ({@link InvalidMailException})</td>
 *       <td>fix the message; sending it again fails again</td></tr>
 *   <tr><td>{@link FailureKind#AUTHENTICATION}</td><td>{@link MailAuthenticationException}</td>
 *       <td>fix the credentials</td></tr>
 *   <tr><td>{@link FailureKind#RATE_LIMITED}</td><td>{@link MailRateLimitedException}</td>
 *       <td>slow down; send again after {@link #retryAfter()} when known</td></tr>
 *   <tr><td>{@link FailureKind#UNAVAILABLE}</td><td>{@link MailUnavailableException}</td>
 *       <td>nothing was accepted: send again later</td></tr>
 *   <tr><td>{@link FailureKind#UNCERTAIN}</td><td>{@link MailUncertainException}</td>
 *       <td>it may have been delivered: send again only with the same {@link Mail#id()}</td></tr>
 *   <tr><td>{@link FailureKind#CONFIGURATION}</td><td>{@link MailConfigurationException}</td>
 *       <td>fix the {@code mailpath.*} configuration</td></tr>
 * </table>
 *
 * <p>When the routed {@code MailTransport} failed over and no path delivered, the exception also lists each
 * {@linkplain #attempts() attempt}; its cause is the last path's own failure and the earlier ones are
 * {@linkplain #getSuppressed() suppressed}. A send that never failed over (one transport, or a failure that does not
 * fail over) throws the transport's own exception, with no attempts.
 *
 * <p>Messages never contain secrets (API keys, passwords).
 */
public abstract class MailException extends RuntimeException {
    /** Value of {@link #status()} when no status or reply code is known. */
    public static final int NO_STATUS = -1;

    private final FailureKind kind;
    private final String transport;
    private final int status;
    private final String errorCode;
    private final List<RejectedRecipient> refusedRecipients;
    private final List<Attempt> attempts;
    private final boolean possibleDuplicate;
    private final Duration retryAfter;

    protected MailException(
            FailureKind kind, String message, String transport, int status, String errorCode, Throwable cause) {
        this(kind, message, transport, status, errorCode, cause, List.of());
    }

    /**
     * A failure of recipients, not of the message or the transport: the server refused every recipient one by one.
     *
     * @param refusedRecipients each recipient the server refused, with its own reply; empty for any other failure
     */
    protected MailException(
            FailureKind kind,
            String message,
            String transport,
            int status,
            String errorCode,
            Throwable cause,
            List<RejectedRecipient> refusedRecipients) {
        this(kind, message, transport, status, errorCode, cause, refusedRecipients, null);
    }

    /** A rate-limited failure, with the wait the service asked for (null when it said none). */
    MailException(
            FailureKind kind,
            String message,
            String transport,
            int status,
            String errorCode,
            Throwable cause,
            List<RejectedRecipient> refusedRecipients,
            Duration retryAfter) {
        super(message, cause);
        this.kind = kind;
        this.transport = transport;
        this.status = status;
        this.errorCode = errorCode;
        this.refusedRecipients = List.copyOf(refusedRecipients);
        this.attempts = List.of();
        this.possibleDuplicate = false;
        this.retryAfter = retryAfter;
    }

    /** The failure of a send that failed over; see {@link #afterFailover(List, List)}. */
    MailException(FailureKind kind, Failover failover) {
        super(failover.message(), failover.last());
        MailException last = failover.last();
        this.kind = kind;
        this.transport = last.transport();
        this.status = last.status();
        this.errorCode = last.errorCode();
        // The refused recipients belong to the last path's failure; an uncertain outcome overrides its kind, and then
        // they no longer describe this exception.
        this.refusedRecipients = kind == last.kind() ? last.refusedRecipients() : List.of();
        this.attempts = failover.attempts();
        this.possibleDuplicate = failover.possibleDuplicate();
        this.retryAfter = failover.retryAfter();
        for (MailException earlier : failover.earlier()) {
            addSuppressed(earlier);
        }
    }

    /**
     * The exception a router throws when a send failed over and no path delivered it: its type is the one of the
     * final kind, so that a caller catches the same type on every route.
     *
     * <ul>
     *   <li>{@link #kind()}: the last failure's, or {@link FailureKind#UNCERTAIN} when any attempt's outcome was
     *       uncertain ({@link #possibleDuplicate()}): sending the message again may then deliver it twice;
     *   <li>{@link #transport()}, {@link #status()}, {@link #errorCode()}: the last failure's;
     *   <li>{@link #retryAfter()}: the longest wait any path asked for, whatever the final kind;
     *   <li>the cause: the last failure; the earlier ones are suppressed;
     *   <li>the message lists every attempt, each transport skipped with the reason.
     * </ul>
     *
     * A transport skipped because it cannot carry the message ({@link Attempt#skipped()}) never sets the kind.
     *
     * @param attempts each attempt in the order made, with the transports skipped
     * @param failures the failure that ended each path tried, in order; the last one decides the kind
     * @return a {@link MailRejectedException}, {@link MailAuthenticationException}, {@link MailRateLimitedException},
     *     {@link MailUnavailableException}, {@link MailUncertainException} or {@link MailConfigurationException}
     */
    public static MailException afterFailover(List<Attempt> attempts, List<? extends MailException> failures) {
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a failover without failures");
        }
        Failover failover = Failover.of(attempts, failures);
        FailureKind kind = failover.possibleDuplicate()
                ? FailureKind.UNCERTAIN
                : failover.last().kind();
        return switch (kind) {
            case REJECTED -> new MailRejectedException(failover);
            case AUTHENTICATION -> new MailAuthenticationException(failover);
            case RATE_LIMITED -> new MailRateLimitedException(failover);
            case UNAVAILABLE -> new MailUnavailableException(failover);
            case UNCERTAIN -> new MailUncertainException(failover);
            case CONFIGURATION -> new MailConfigurationException(failover);
        };
    }

    /** What kind of failure this is. */
    public FailureKind kind() {
        return kind;
    }

    /** The name of the transport that saw the failure ({@code "api"}, {@code "smtp"}), or null before any transport. */
    public String transport() {
        return transport;
    }

    /** The HTTP status or SMTP reply code, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    /** The server's own error code when it gave one, or null. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * How long the service asked to wait before the message is sent again, when it said: the {@code Retry-After} of a
     * rate-limited failure ({@link MailRateLimitedException}), or after a failover the longest wait any of its
     * rate-limited attempts asked for, whatever the final kind (no path that asked to wait takes the message sooner).
     * Empty otherwise: then the caller picks its own backoff.
     *
     * @return the wait asked for, or empty when none is known
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * When the server refused every recipient one by one (an SMTP server's replies to RCPT: an unknown mailbox, a
     * greylisted one) rather than the message or the session: each of them, with its own reply. Empty for every other
     * failure. Such a failure says nothing about the transport's health: the next message may well go through.
     */
    public List<RejectedRecipient> refusedRecipients() {
        return refusedRecipients;
    }

    /**
     * Each attempt of a send that failed over, in the order made (transport, failure kind, status, duration, detail),
     * with each transport passed over because it cannot carry the message ({@link Attempt#skipped()}). Empty when the
     * send never failed over: one transport, or a failure that does not fail over (its own exception says it all).
     */
    public List<Attempt> attempts() {
        return attempts;
    }

    /**
     * Whether an attempt of a send that failed over had an uncertain outcome, so that the message may have been
     * delivered after all; the kind is then {@link FailureKind#UNCERTAIN}. False when the send never failed over.
     */
    public boolean possibleDuplicate() {
        return possibleDuplicate;
    }

    /** What a send that failed over adds to its last failure; built only by {@link #afterFailover(List, List)}. */
    record Failover(
            String message,
            MailException last,
            List<MailException> earlier,
            List<Attempt> attempts,
            boolean possibleDuplicate,
            Duration retryAfter) {
        static Failover of(List<Attempt> attempts, List<? extends MailException> failures) {
            boolean possibleDuplicate = failures.stream().anyMatch(e -> e.kind() == FailureKind.UNCERTAIN)
                    || attempts.stream().anyMatch(a -> a.failure() == FailureKind.UNCERTAIN);
            return of(attempts, failures, possibleDuplicate);
        }

        static Failover of(List<Attempt> attempts, List<? extends MailException> failures, boolean possibleDuplicate) {
            List<MailException> earlier = new ArrayList<>(failures);
            MailException last = Objects.requireNonNull(earlier.remove(earlier.size() - 1), "failure");
            earlier.removeIf(e -> e == last);
            Duration longest = null;
            for (Duration asked : waitsAskedFor(attempts, failures)) {
                if (longest == null || asked.compareTo(longest) > 0) {
                    longest = asked;
                }
            }
            return new Failover(
                    describe(attempts, possibleDuplicate),
                    last,
                    List.copyOf(earlier),
                    List.copyOf(attempts),
                    possibleDuplicate,
                    longest);
        }

        private static List<Duration> waitsAskedFor(List<Attempt> attempts, List<? extends MailException> failures) {
            List<Duration> waits = new ArrayList<>();
            for (Attempt a : attempts) {
                if (a.retryAfter() != null) {
                    waits.add(a.retryAfter());
                }
            }
            for (MailException e : failures) {
                e.retryAfter().ifPresent(waits::add);
            }
            return waits;
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
}
