package io.mailpath.bench;

import io.mailpath.Mail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Random;

/** The one message every row sends: a 4 KiB text body from one sender to one recipient. */
public final class Messages {
    public static final String FROM = "bench@example.com";
    public static final String TO = "rcpt@example.org";
    public static final String SUBJECT = "Mailpath benchmark";
    public static final int BODY_BYTES = 4096;
    public static final String BODY = body(BODY_BYTES);

    private Messages() {}

    /** Printable ASCII in lines of 76 characters, so that no encoding changes its size. */
    private static String body(int size) {
        Random random = new Random(4096);
        StringBuilder b = new StringBuilder(size);
        while (b.length() < size) {
            if (b.length() % 78 == 76) {
                b.append("\r\n");
            } else {
                b.append((char) ('a' + random.nextInt(26)));
            }
        }
        return b.substring(0, size);
    }

    /** The message as Mailpath's users build it. */
    public static Mail mail() {
        return Mail.builder().from(FROM).to(TO).subject(SUBJECT).text(BODY).build();
    }

    /** The message as a Jakarta Mail user builds it, ready for {@code sendMessage}. */
    public static MimeMessage mime(Session session) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(FROM));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
        m.setSubject(SUBJECT);
        m.setText(BODY, "UTF-8");
        m.saveChanges();
        return m;
    }

    /** The transmission request for the message, as Mailtarget's OpenAPI spec shapes it. */
    public static String transmissionJson() {
        return "{\"from\":{\"email\":\"" + FROM + "\"},\"to\":[{\"email\":\"" + TO + "\"}],\"subject\":\"" + SUBJECT
                + "\",\"bodyText\":\"" + BODY.replace("\r\n", "\\r\\n") + "\"}";
    }
}
