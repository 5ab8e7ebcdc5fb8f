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
 *
 * <p>Each argument has its own named step, so that file name, content type and content id cannot be swapped:
 *
 * <pre>
 * Attachment invoice = Attachment.named("invoice.pdf").type("application/pdf").bytes(pdf);
 * Attachment report = Attachment.named("report.csv").type("text/csv").file(Path.of("/data/report.csv"));
 * Attachment logo = Attachment.inline("logo").named("logo.png").type("image/png").bytes(png);
 * </pre>
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

    /**
     * Starts an attachment: {@code Attachment.named("invoice.pdf").type("application/pdf").bytes(pdf)}, or
     * {@code .file(path)} to stream it from a file when the message is sent.
     *
     * @param filename the name the recipient sees, for example {@code invoice.pdf}
     * @return the next step, which takes the content type
     */
    public static Named named(String filename) {
        return new Named(Disposition.ATTACHMENT, null, filename);
    }

    /**
     * Starts an inline part that the HTML body shows through {@code <img src="cid:logo">}:
     * {@code Attachment.inline("logo").named("logo.png").type("image/png").bytes(png)}.
     *
     * @param contentId the id the HTML body refers to after {@code cid:}, without angle brackets
     * @return the next step, which takes the file name
     */
    public static Inline inline(String contentId) {
        return new Inline(contentId);
    }

    /** An inline part with its content id; {@link #named(String)} gives it a file name. */
    public static final class Inline {
        private final String contentId;

        private Inline(String contentId) {
            this.contentId = contentId;
        }

        /**
         * The file name of the inline part.
         *
         * @param filename the name a mail client shows if it lists the part, for example {@code logo.png}
         * @return the next step, which takes the content type
         */
        public Named named(String filename) {
            return new Named(Disposition.INLINE, contentId, filename);
        }
    }

    /** An attachment or inline part with its file name; {@link #type(String)} gives its content type. */
    public static final class Named {
        private final Disposition disposition;
        private final String contentId;
        private final String filename;

        private Named(Disposition disposition, String contentId, String filename) {
            this.disposition = disposition;
            this.contentId = contentId;
            this.filename = filename;
        }

        /**
         * The content's MIME type.
         *
         * @param contentType for example {@code application/pdf} or {@code image/png}
         * @return the last step, which takes the content
         */
        public Typed type(String contentType) {
            return new Typed(this, contentType);
        }
    }

    /** An attachment or inline part with its file name and content type; the content completes it. */
    public static final class Typed {
        private final Named named;
        private final String contentType;

        private Typed(Named named, String contentType) {
            this.named = named;
            this.contentType = contentType;
        }

        /**
         * Content held in memory.
         *
         * @param content the bytes, copied
         * @return the attachment
         * @throws InvalidMailException naming what is wrong (file name, content type, content id, content)
         */
        public Attachment bytes(byte[] content) {
            return new Attachment(named.filename, contentType, named.disposition, named.contentId, copy(content), null);
        }

        /**
         * Content read from a file each time the message is sent, streamed rather than held in memory.
         *
         * @param file a readable regular file; its size is read now
         * @return the attachment
         * @throws InvalidMailException naming what is wrong (file name, content type, content id, file)
         */
        public Attachment file(Path file) {
            return new Attachment(
                    named.filename, contentType, named.disposition, named.contentId, null, requireFile(file));
        }
    }

    /**
     * An attachment held in memory.
     *
     * @param filename the name the recipient sees
     * @param contentType the content's MIME type
     * @param content the bytes, copied
     * @return the attachment
     * @deprecated the three arguments were easy to swap; use
     *     {@code Attachment.named(filename).type(contentType).bytes(content)}, which this calls.
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public static Attachment of(String filename, String contentType, byte[] content) {
        return named(filename).type(contentType).bytes(content);
    }

    /**
     * An attachment read from a file each time the message is sent.
     *
     * @param filename the name the recipient sees
     * @param contentType the content's MIME type
     * @param file a readable regular file
     * @return the attachment
     * @deprecated the three arguments were easy to swap; use
     *     {@code Attachment.named(filename).type(contentType).file(file)}, which this calls.
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public static Attachment of(String filename, String contentType, Path file) {
        return named(filename).type(contentType).file(file);
    }

    /**
     * An inline part held in memory, which the HTML body shows through {@code cid:<contentId>}.
     *
     * @param contentId the id the HTML body refers to after {@code cid:}
     * @param filename the part's file name
     * @param contentType the content's MIME type
     * @param content the bytes, copied
     * @return the inline part
     * @deprecated the four arguments were easy to swap; use
     *     {@code Attachment.inline(contentId).named(filename).type(contentType).bytes(content)}, which this calls.
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public static Attachment inline(String contentId, String filename, String contentType, byte[] content) {
        return inline(contentId).named(filename).type(contentType).bytes(content);
    }

    /**
     * An inline part read from a file each time the message is sent.
     *
     * @param contentId the id the HTML body refers to after {@code cid:}
     * @param filename the part's file name
     * @param contentType the content's MIME type
     * @param file a readable regular file
     * @return the inline part
     * @deprecated the four arguments were easy to swap; use
     *     {@code Attachment.inline(contentId).named(filename).type(contentType).file(file)}, which this calls.
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    public static Attachment inline(String contentId, String filename, String contentType, Path file) {
        return inline(contentId).named(filename).type(contentType).file(file);
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
