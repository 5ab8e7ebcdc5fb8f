package io.mailpath.transport.smtp;

import io.mailpath.Address;
import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailStream;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.LineOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.net.IDN;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Maps a {@link Mail} to MIME messages, without any I/O, in two steps: {@link #compose} cuts the mail into the parts it
 * is sent as (one, or one per recipient when it carries per-recipient data), cheap descriptors that hold no rendered
 * content; {@link #message} renders one part's MIME message just before it is sent, so that a message sent to many
 * recipients holds one recipient's rendering at a time. The message's id travels as {@value Mail#ID_HEADER}; each
 * metadata entry as one {@value Mail#METADATA_HEADER} header, form-encoded ({@code key=value}), and a named stream's
 * name as one more, {@value Mail#STREAM_METADATA_KEY}, when metadata is written at all.
 */
final class SmtpComposer {
    private static final String UTF_8 = "UTF-8";
    /** RFC 5322's recommended limit of a header line, CRLF excluded. */
    private static final int LINE = 78;

    /**
     * One message to send, not rendered yet.
     *
     * @param mail the mail it is part of
     * @param recipient the one recipient of a per-recipient part, whose substitution data it uses; null for the mail
     *     sent as one message
     * @param envelope the addresses given to RCPT TO
     * @param messageId its Message-ID
     */
    record Outgoing(Mail mail, Address recipient, InternetAddress[] envelope, String messageId) {
        List<String> recipients() {
            List<String> list = new ArrayList<>(envelope.length);
            for (InternetAddress a : envelope) {
                list.add(a.getAddress());
            }
            return list;
        }
    }

    private final Session session;
    private final String messageIdDomain;
    private final boolean metadataHeader;

    /**
     * @param messageIdDomain the domain part of generated Message-IDs, or null for the sender's domain
     * @param metadataHeader whether metadata is written to the message, which every recipient can read
     */
    SmtpComposer(Session session, String messageIdDomain, boolean metadataHeader) {
        this.session = session;
        this.messageIdDomain = messageIdDomain;
        this.metadataHeader = metadataHeader;
    }

    /**
     * The parts a mail is sent as. What concerns the whole mail is checked here, before anything is sent; what
     * concerns one recipient's rendering is checked by {@link #message}, and fails that part only.
     *
     * @throws MailRejectedException when the mail cannot be expressed over SMTP (a template without a fallback body)
     */
    List<Outgoing> compose(Mail mail) {
        if (!mail.hasBody()) {
            throw rejected(
                    "Template '" + mail.templateId() + "' cannot be rendered over SMTP and the message has no"
                            + " fallback body: give it text() or html() to send it over SMTP",
                    null);
        }
        for (Attachment a : mail.attachments()) {
            // A file that is gone or unreadable makes the message wrong, as on the API: refused before any I/O.
            try (InputStream in = a.open()) {
                // opened: readable
            } catch (IOException e) {
                throw unreadable(a.filename(), e);
            }
        }
        try {
            if (!mail.isPerRecipient()) {
                return List.of(new Outgoing(mail, null, internet(mail.allRecipients()), messageId(mail, -1)));
            }
            List<Outgoing> result = new ArrayList<>(mail.to().size());
            for (int i = 0; i < mail.to().size(); i++) {
                Address rcpt = mail.to().get(i);
                result.add(new Outgoing(mail, rcpt, new InternetAddress[] {internet(rcpt)}, messageId(mail, i)));
            }
            return result;
        } catch (UnsupportedEncodingException e) {
            throw rejected("The message's addresses cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Renders one part's MIME message: its recipients' substitution data filled in, its headers, body and
     * attachments (streamed from their source when the message is written, not held).
     *
     * @throws MailRejectedException when this part cannot be composed (substitution data that puts a line break in
     *     the subject); the mail's other parts are not concerned
     */
    MimeMessage message(Outgoing part) {
        Mail mail = part.mail();
        List<Address> to = part.recipient() == null ? mail.to() : List.of(part.recipient());
        Map<String, String> data =
                part.recipient() == null ? mail.substitutionData() : mail.substitutionDataFor(part.recipient());
        try {
            return message(mail, to, data, part.messageId());
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw rejected("The message cannot be composed as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * The failure to send when an attachment could not be read while the message was written (checked before, it
     * became unreadable since), or null when the failure is not that: the message is then refused, not the server
     * found unavailable. Jakarta Mail closes the connection without the final dot, so nothing was accepted.
     */
    static MailRejectedException unreadableAttachment(MessagingException failure) {
        for (Throwable t = failure; t != null; ) {
            if (t instanceof UnreadableAttachmentException u) {
                return unreadable(u.filename, u.getCause());
            }
            Throwable next = t instanceof MessagingException me && me.getNextException() != null
                    ? me.getNextException()
                    : t.getCause();
            t = next == t ? null : next;
        }
        return null;
    }

    /** Names the attachment's file name, not its path (which may say more than the message should, in logs). */
    private static MailRejectedException unreadable(String filename, Throwable cause) {
        return rejected(
                "Attachment '" + filename + "' cannot be read ("
                        + cause.getClass().getSimpleName() + "); nothing was sent",
                cause instanceof Exception e ? e : null);
    }

    private static MailRejectedException rejected(String message, Exception cause) {
        return new MailRejectedException(message, SmtpTransportProvider.NAME, MailException.NO_STATUS, null, cause);
    }

    private MimeMessage message(Mail mail, List<Address> to, Map<String, String> data, String messageId)
            throws MessagingException, UnsupportedEncodingException {
        MimeMessage msg = new IdentifiedMimeMessage(session, messageId);
        msg.setFrom(internet(mail.from()));
        msg.setRecipients(MimeMessage.RecipientType.TO, internet(to));
        if (!mail.cc().isEmpty()) {
            msg.setRecipients(MimeMessage.RecipientType.CC, internet(mail.cc()));
        }
        // Bcc recipients are in the envelope only, never in a header.
        if (!mail.replyTo().isEmpty()) {
            msg.setReplyTo(internet(mail.replyTo()));
        }
        String subject = Substitutions.render(mail.subject(), data, false);
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw rejected("Substitution data put a line break into the subject", null);
        }
        msg.setSubject(subject, UTF_8);
        msg.setSentDate(new Date());
        msg.setHeader(Mail.ID_HEADER, mail.id());
        if (metadataHeader) {
            for (Map.Entry<String, String> e : mail.metadata().entrySet()) {
                msg.addHeader(Mail.METADATA_HEADER, metadataValue(e.getKey(), e.getValue()));
            }
            // As on the API: a named stream travels as one more entry, the unnamed one adds nothing.
            if (!mail.stream().equals(MailStream.DEFAULT)) {
                msg.addHeader(Mail.METADATA_HEADER, metadataValue(Mail.STREAM_METADATA_KEY, mail.stream()));
            }
        }
        for (Map.Entry<String, String> h : mail.headers().entrySet()) {
            msg.setHeader(
                    h.getKey(),
                    MimeUtility.fold(h.getKey().length() + 2, MimeUtility.encodeText(h.getValue(), UTF_8, null)));
        }
        String text = Substitutions.render(mail.text(), data, false);
        String html = Substitutions.render(mail.html(), data, true);
        body(msg, mail, text, html);
        msg.saveChanges();
        return msg;
    }

    private static void body(MimeMessage msg, Mail mail, String text, String html) throws MessagingException {
        List<Attachment> inline = new ArrayList<>();
        List<Attachment> attached = new ArrayList<>();
        for (Attachment a : mail.attachments()) {
            (a.disposition() == Attachment.Disposition.INLINE ? inline : attached).add(a);
        }
        if (inline.isEmpty() && attached.isEmpty()) {
            setText(msg, text, html);
            return;
        }
        MimeBodyPart content = new WrittenAsIsPart();
        setText(content, text, html);
        if (!inline.isEmpty()) {
            MimeMultipart related = new MimeMultipart("related");
            related.addBodyPart(content);
            for (Attachment a : inline) {
                related.addBodyPart(part(a));
            }
            if (attached.isEmpty()) {
                msg.setContent(related);
                return;
            }
            content = new MimeBodyPart();
            content.setContent(related);
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(content);
        for (Attachment a : attached) {
            mixed.addBodyPart(part(a));
        }
        msg.setContent(mixed);
    }

    private static void setText(Part part, String text, String html) throws MessagingException {
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new WrittenAsIsPart();
            plain.setText(text, UTF_8, "plain");
            MimeBodyPart rich = new WrittenAsIsPart();
            rich.setText(html, UTF_8, "html");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(rich);
            part.setContent(alternative);
        } else if (html != null) {
            ((jakarta.mail.internet.MimePart) part).setText(html, UTF_8, "html");
        } else {
            ((jakarta.mail.internet.MimePart) part).setText(text, UTF_8, "plain");
        }
    }

    private static MimeBodyPart part(Attachment a) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new AttachmentSource(a)));
        part.setFileName(a.filename());
        part.setHeader("Content-Transfer-Encoding", "base64");
        if (a.disposition() == Attachment.Disposition.INLINE) {
            part.setDisposition(Part.INLINE);
            part.setContentID("<" + a.contentId() + ">");
        } else {
            part.setDisposition(Part.ATTACHMENT);
        }
        return part;
    }

    private String messageId(Mail mail, int index) {
        String domain = messageIdDomain != null ? messageIdDomain : asciiDomain(mail.from());
        return "<" + mail.id() + (index < 0 ? "" : "." + index) + "@" + domain + ">";
    }

    private static String asciiDomain(Address address) {
        String domain = address.domain();
        return domain.startsWith("[") ? "localhost" : IDN.toASCII(domain);
    }

    private static InternetAddress internet(Address a) throws UnsupportedEncodingException {
        int at = a.email().lastIndexOf('@');
        String domain = a.email().substring(at + 1);
        String email = domain.startsWith("[") ? a.email() : a.email().substring(0, at + 1) + IDN.toASCII(domain);
        InternetAddress result = new InternetAddress();
        result.setAddress(email);
        if (a.name() != null) {
            result.setPersonal(a.name(), UTF_8);
        }
        return result;
    }

    private static InternetAddress[] internet(List<Address> list) throws UnsupportedEncodingException {
        InternetAddress[] result = new InternetAddress[list.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = internet(list.get(i));
        }
        return result;
    }

    /**
     * One metadata entry as a {@value Mail#METADATA_HEADER} value: form-encoded, folded so that no line of the header
     * is longer than {@value #LINE} characters, and never inside a {@code %XX} escape. Form-encoding leaves no
     * whitespace, so the folds' whitespace is not part of the value.
     */
    static String metadataValue(String key, String value) {
        String encoded =
                URLEncoder.encode(key, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(encoded.length() + encoded.length() / 32);
        // The first line starts with the header's name, a colon and a space; the next ones with a space.
        int column = Mail.METADATA_HEADER.length() + 2;
        for (int i = 0; i < encoded.length(); ) {
            int token = encoded.charAt(i) == '%' ? 3 : 1;
            if (column + token > LINE) {
                out.append("\r\n ");
                column = 1;
            }
            out.append(encoded, i, i + token);
            column += token;
            i += token;
        }
        return out.toString();
    }

    /**
     * Whether the last write of a composed message (Jakarta Mail's, during DATA) handed over its every byte: the
     * send's phase when the connection fails. False for a message this composer did not make.
     */
    static boolean completelyWritten(MimeMessage m) {
        return m instanceof IdentifiedMimeMessage i && i.written;
    }

    /**
     * Whether any write of a composed message (Jakarta Mail's, during DATA) began: until then, none of its content
     * reached the connection. True for a message this composer did not make, which cannot tell.
     */
    static boolean writeStarted(MimeMessage m) {
        return !(m instanceof IdentifiedMimeMessage i) || i.writeStarted;
    }

    /**
     * Whether the Content-Transfer-Encoding leaves content as it is (7bit, 8bit, binary). Jakarta Mail looks up a
     * stream encoder for every part it writes, even for these, where the encoder changes nothing, and each lookup is a
     * {@code ServiceLoader} scan of the class path (jakartaee/mail-api issues 861 and 699): with a 4 KiB message, a
     * third of the client's CPU. While one of Mailpath's parts is written, such an encoding is reported as none, so that
     * the content is written directly, byte for byte as the encoder would have; the header still names the encoding.
     */
    private static String encodingWhileWriting(String encoding) {
        return encoding != null
                        && (encoding.equalsIgnoreCase("7bit")
                                || encoding.equalsIgnoreCase("8bit")
                                || encoding.equalsIgnoreCase("binary"))
                ? null
                : encoding;
    }

    /** A text part (or a part holding a multipart), written without an encoder lookup: see {@link #encodingWhileWriting}. */
    private static final class WrittenAsIsPart extends MimeBodyPart {
        private boolean writing;

        @Override
        public void writeTo(OutputStream os) throws IOException, MessagingException {
            writing = true;
            try {
                super.writeTo(os);
            } finally {
                writing = false;
            }
        }

        @Override
        public String getEncoding() throws MessagingException {
            String encoding = super.getEncoding();
            return writing ? encodingWhileWriting(encoding) : encoding;
        }
    }

    /**
     * Jakarta Mail writes header lines in UTF-8 unless this system property is "false", as {@code MimeBodyPart} reads
     * it.
     */
    private static final boolean ALLOW_UTF8_HEADERS =
            !"false".equalsIgnoreCase(System.getProperty("mail.mime.allowutf8"));

    /**
     * A MIME message whose Message-ID is the one Mailpath chose, kept through {@code saveChanges()}, which knows whether
     * it was written out completely, and which is written without the two stream lookups Jakarta Mail would make per
     * message (see {@link #encodingWhileWriting}): its header lines go through the session's line stream, its content
     * straight to the connection.
     */
    private static final class IdentifiedMimeMessage extends MimeMessage {
        private final String messageId;
        private volatile boolean written;
        private volatile boolean writeStarted;
        private boolean writing;

        IdentifiedMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
            written = false;
            writeStarted = true;
            writing = true;
            try {
                super.writeTo(
                        os instanceof LineOutputStream
                                ? os
                                : new LinesAndContent(
                                        os, session.getStreamProvider().outputLineStream(os, ALLOW_UTF8_HEADERS)),
                        ignoreList);
            } finally {
                writing = false;
            }
            written = true;
        }

        @Override
        public String getEncoding() throws MessagingException {
            String encoding = super.getEncoding();
            return writing ? encodingWhileWriting(encoding) : encoding;
        }
    }

    /**
     * The stream a message is written to, as a line stream, so that Jakarta Mail does not look one up: header lines
     * through the session's line stream, content bytes straight through (the session's line stream would pass them on
     * one by one).
     */
    private static final class LinesAndContent extends FilterOutputStream implements LineOutputStream {
        private final LineOutputStream lines;

        LinesAndContent(OutputStream out, LineOutputStream lines) {
            super(out);
            this.lines = lines;
        }

        @Override
        public void writeln(String s) throws IOException {
            lines.writeln(s);
        }

        @Override
        public void writeln() throws IOException {
            lines.writeln();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }

    /** An attachment's content could not be read while the message was written. */
    private static final class UnreadableAttachmentException extends IOException {
        private static final long serialVersionUID = 1L;
        final String filename;

        UnreadableAttachmentException(String filename, IOException cause) {
            super("attachment '" + filename + "' cannot be read", cause);
            this.filename = filename;
        }
    }

    /**
     * Streams an attachment's content each time the message is written; a failure to open or read it is told apart
     * from a failure to write to the server.
     */
    private record AttachmentSource(Attachment attachment) implements DataSource {
        @Override
        public InputStream getInputStream() throws IOException {
            InputStream in;
            try {
                in = attachment.open();
            } catch (IOException e) {
                throw new UnreadableAttachmentException(attachment.filename(), e);
            }
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw new UnreadableAttachmentException(attachment.filename(), e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw new UnreadableAttachmentException(attachment.filename(), e);
                    }
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("attachments are read-only");
        }

        @Override
        public String getContentType() {
            return attachment.contentType();
        }

        @Override
        public String getName() {
            return attachment.filename();
        }
    }
}
