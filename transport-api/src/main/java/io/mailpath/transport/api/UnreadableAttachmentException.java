package io.mailpath.transport.api;

import java.io.IOException;

/**
 * An attachment's content could not be read while the request body was written: the request was cut short, so
 * nothing was accepted, and sending again will not help until the attachment is fixed. {@link ApiFailures} turns it
 * into a rejection that names the attachment.
 */
final class UnreadableAttachmentException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String filename;

    UnreadableAttachmentException(String filename, Throwable cause) {
        super("attachment '" + filename + "' cannot be read: " + cause, cause);
        this.filename = filename;
    }

    /** The attachment's file name as the message gives it. */
    String filename() {
        return filename;
    }
}
