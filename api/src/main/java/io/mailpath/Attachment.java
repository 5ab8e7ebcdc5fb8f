package io.mailpath;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A file carried by a message: an attachment, or an inline part (an image the HTML body shows through
 * {@code cid:<contentId>}). Content is either bytes held in memory or a file streamed when the message is sent.
 */
public final class Attachment {
    /** How a part is shown. */
    public enum Disposition {
        ATTACHMENT,
        INLINE
    }

    private static final Pattern MIME_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final Pattern CONTENT_ID = Pattern.compile("[\\x21-\\x3B\\x3D\\x3F-\\x7E]{1,200}");
    private static final int MAX_FILENAME = 255;

    private final String filename;
    private final String contentType;
    private final Disposition disposition;
    private final String contentId;
    private final byte[] bytes;
    private final Path file;
    private final long size;

    private Attachment(
            String filename, String contentType, Disposition disposition, String contentId, byte[] bytes, Path file) {
        this.filename = Text.requireNonBlank("attachment.filename", filename);
        Text.requireSingleLine("attachment.filename", filename);
        Text.requireMaxLength("attachment.filename", filename, MAX_FILENAME);
        if (contentType == null || !MIME_TYPE.matcher(contentType).matches()) {
            throw new InvalidMailException(
                    "attachment.contentType", "'" + contentType + "' is not a MIME type such as application/pdf");
        }
        this.contentType = contentType;
        this.disposition = disposition;
        if (disposition == Disposition.INLINE
                && (contentId == null || !CONTENT_ID.matcher(contentId).matches())) {
            throw new InvalidMailException(
                    "attachment.contentId",
                    "an inline part needs a content id of printable characters without '<', '>' or spaces");
        }
        this.contentId = contentId;
        this.bytes = bytes;
        this.file = file;
        if (bytes != null) {
            this.size = bytes.length;
        } else {
            try {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new InvalidMailException("attachment.file", "'" + file + "' is not a readable file");
                }
                this.size = Files.size(file);
            } catch (IOException e) {
                throw new InvalidMailException("attachment.file", "cannot read the size of '" + file + "': " + e);
            }
        }
    }

    /** An attachment held in memory; the bytes are copied. */
    public static Attachment of(String filename, String contentType, byte[] content) {
        return new Attachment(filename, contentType, Disposition.ATTACHMENT, null, copy(content), null);
    }

    /** An attachment read from a file each time the message is sent, streamed rather than held in memory. */
    public static Attachment of(String filename, String contentType, Path file) {
        return new Attachment(filename, contentType, Disposition.ATTACHMENT, null, null, requireFile(file));
    }

    /** An inline part the HTML body refers to as {@code cid:<contentId>}; the bytes are copied. */
    public static Attachment inline(String contentId, String filename, String contentType, byte[] content) {
        return new Attachment(filename, contentType, Disposition.INLINE, contentId, copy(content), null);
    }

    /** An inline part read from a file when the message is sent. */
    public static Attachment inline(String contentId, String filename, String contentType, Path file) {
        return new Attachment(filename, contentType, Disposition.INLINE, contentId, null, requireFile(file));
    }

    private static byte[] copy(byte[] content) {
        if (content == null) {
            throw new InvalidMailException("attachment.content", "is required");
        }
        return content.clone();
    }

    private static Path requireFile(Path file) {
        if (file == null) {
            throw new InvalidMailException("attachment.file", "is required");
        }
        return file;
    }

    public String filename() {
        return filename;
    }

    public String contentType() {
        return contentType;
    }

    public Disposition disposition() {
        return disposition;
    }

    /** The content id of an inline part (without angle brackets), or null for an attachment. */
    public String contentId() {
        return contentId;
    }

    /** The content's size in bytes (before any transfer encoding). */
    public long size() {
        return size;
    }

    /** A new stream over the content; the caller closes it. */
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** The whole content, read into memory; prefer {@link #open()}, which streams it. */
    public byte[] readAllBytes() {
        if (bytes != null) {
            return bytes.clone();
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment '" + filename + "'", e);
        }
    }

    @Override
    public String toString() {
        return "Attachment[" + filename + ", " + contentType + ", " + size + " bytes"
                + (contentId == null ? "" : ", cid " + contentId) + "]";
    }
}
