package io.mailpath;

/** A message failed validation while it was being built; nothing was sent. */
public class InvalidMailException extends MailRejectedException {
    private final String field;

    public InvalidMailException(String field, String message) {
        super(field + ": " + message, null, NO_STATUS, null, null);
        this.field = field;
    }

    /** The part of the message that is wrong, for example {@code "to"} or {@code "headers.X-Tag"}. */
    public String field() {
        return field;
    }
}
