package io.mailpath;

import java.util.List;

/**
 * No longer thrown: since 0.2.0 a send that failed over throws the subclass of its final kind, as any other send does
 * ({@link MailRejectedException}, {@link MailUnavailableException}, {@link MailUncertainException}, ...; built by
 * {@link MailException#afterFailover(List, List)}). Catch that type, or {@link MailException} and decide by {@link
 * #kind()}; {@link #attempts()}, {@link #possibleDuplicate()} and {@link #retryAfter()} are on every {@link
 * MailException}. This class stays only so that code written against 0.1.0 compiles; it will be removed.
 *
 * @deprecated catch the subclass of the kind (for example {@code catch (MailRejectedException e)}) or {@link
 *     MailException}; read {@link MailException#attempts()} and {@link MailException#possibleDuplicate()} on it
 */
@Deprecated(since = "0.2.0", forRemoval = true)
public class MailFailoverException extends MailException {
    /**
     * Every transport failed, and {@code last} is the only failure kept (earlier tries are in the attempts only).
     *
     * @deprecated use {@link MailException#afterFailover(List, List)}
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
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
     * @deprecated use {@link MailException#afterFailover(List, List)}
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public MailFailoverException(
            List<Attempt> attempts,
            MailException last,
            List<? extends MailException> earlier,
            boolean possibleDuplicate) {
        this(Failover.of(attempts, failures(earlier, last), possibleDuplicate));
    }

    private MailFailoverException(Failover failover) {
        super(
                failover.possibleDuplicate()
                        ? FailureKind.UNCERTAIN
                        : failover.last().kind(),
                failover);
    }

    private static List<MailException> failures(List<? extends MailException> earlier, MailException last) {
        List<MailException> all = new java.util.ArrayList<>(earlier);
        all.add(last);
        return all;
    }
}
