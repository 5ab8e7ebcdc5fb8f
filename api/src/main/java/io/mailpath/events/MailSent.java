package io.mailpath.events;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import java.util.Objects;

/**
 * A transport accepted the message: the receipt is the one the caller gets.
 *
 * @param mail the message
 * @param receipt which transport delivered, its ids, every attempt and the failover flags
 */
public record MailSent(Mail mail, SendReceipt receipt) implements MailEvent {
    public MailSent {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(receipt, "receipt");
    }
}
