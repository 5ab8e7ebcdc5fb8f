package io.mailpath;

import java.util.List;

/**
 * One message as the transport handed it over: a message is sent as one delivery, or as one per recipient when it
 * carries per-recipient substitution data.
 *
 * @param recipients the recipients the server accepted for this delivery
 * @param transmissionId Mailtarget's transmission id (API path), or null
 * @param messageId the RFC 5322 Message-ID (SMTP path), or null
 */
public record Delivery(List<String> recipients, String transmissionId, String messageId) {
    public Delivery {
        recipients = List.copyOf(recipients);
    }
}
