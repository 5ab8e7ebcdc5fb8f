package io.mailpath;

/**
 * A recipient the server refused while it accepted others.
 *
 * @param address the refused address
 * @param status the reply code, or {@link MailException#NO_STATUS}
 * @param reason the server's reason
 */
public record RejectedRecipient(String address, int status, String reason) {}
