package io.mailpath.events;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import java.util.List;
import java.util.Objects;

/**
 * The first transport failed and a later one delivered: the caller got a receipt, so nothing else tells anyone that
 * the primary path is failing. Alert on it.
 *
 * @param mail the message
 * @param receipt the receipt of the transport that delivered, with every attempt
 */
public record MailFailedOver(Mail mail, SendReceipt receipt) implements MailEvent {
    public MailFailedOver {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(receipt, "receipt");
    }

    /** The attempts that failed, in the order made. */
    public List<Attempt> failures() {
        return receipt.attempts().stream().filter(a -> !a.isSuccess()).toList();
    }

    /** The transport that failed first (the primary). */
    public String failedTransport() {
        return firstFailure().transport();
    }

    /** Why it failed. */
    public FailureKind reason() {
        return firstFailure().failure();
    }

    /** The transport that delivered. */
    public String deliveredBy() {
        return receipt.transport();
    }

    private Attempt firstFailure() {
        return failures().get(0);
    }
}
