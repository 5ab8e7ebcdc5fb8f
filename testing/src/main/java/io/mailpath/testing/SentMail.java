package io.mailpath.testing;

import io.mailpath.Mail;
import java.time.Instant;
import java.util.List;

/**
 * One delivery an in-memory transport accepted: the whole message, or one recipient's own copy when the message
 * carries per-recipient data.
 *
 * @param transport the transport's name
 * @param mail the message as the application built it
 * @param recipients the recipients of this delivery (to, cc and bcc; one {@code to} recipient per copy with
 *     per-recipient data)
 * @param transmissionId the id the transport returned in the receipt
 * @param sentAt when it was accepted
 */
public record SentMail(String transport, Mail mail, List<String> recipients, String transmissionId, Instant sentAt) {
    public SentMail {
        recipients = List.copyOf(recipients);
    }

    /** The message's stable id ({@link Mail#id()}). */
    public String mailId() {
        return mail.id();
    }

    /** The message's subject. */
    public String subject() {
        return mail.subject();
    }
}
