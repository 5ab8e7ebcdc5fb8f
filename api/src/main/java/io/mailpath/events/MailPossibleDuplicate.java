package io.mailpath.events;

import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import java.util.List;
import java.util.Objects;

/**
 * A transport delivered after an earlier attempt's outcome was uncertain (the connection was lost after the whole
 * message was sent, or no answer came in time): the recipients may get the message twice. Both copies carry the same
 * {@link #mailId()} ({@code mailpath_id} in the API's metadata, the {@link Mail#ID_HEADER} header on SMTP).
 *
 * @param mail the message
 * @param receipt the receipt of the transport that delivered, with every attempt
 */
public record MailPossibleDuplicate(Mail mail, SendReceipt receipt) implements MailEvent {
    public MailPossibleDuplicate {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(receipt, "receipt");
    }

    /** The transports whose attempt may have delivered besides the one that did. */
    public List<String> uncertainTransports() {
        return receipt.attempts().stream()
                .filter(a -> a.failure() == FailureKind.UNCERTAIN)
                .map(Attempt::transport)
                .distinct()
                .toList();
    }
}
