package io.mailpath.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Webhook bodies for the tests: recorded-shape files, and batches made to size. */
final class Payloads {
    private Payloads() {}

    static String read(String resource) {
        try (InputStream in = Objects.requireNonNull(Payloads.class.getResourceAsStream("/" + resource), resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch of {@code count} delivery events with ids {@code prefix-0}, {@code prefix-1}, ... */
    static String batch(String prefix, int retryCount, int count) {
        StringBuilder s = new StringBuilder("{\"batchId\":\"")
                .append(prefix)
                .append("\",\"retryCount\":")
                .append(retryCount)
                .append(",\"events\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(event(prefix + "-" + i, "Delivery", "user" + i + "@example.org", "mail-" + i));
        }
        return s.append("]}").toString();
    }

    /** One event in Mailtarget's shape, its metadata as a JSON string holding the message's id. */
    static String event(String eventId, String status, String recipient, String mailpathId) {
        return "{\"status\":\"" + status + "\",\"eventId\":\"" + eventId + "\",\"messageId\":\"msg-" + eventId
                + "\",\"subject\":\"Your receipt\",\"sender\":\"billing@example.com\",\"recipient\":\"" + recipient
                + "\",\"recipientMeta\":\"{\\\"mailpath_id\\\":\\\"" + mailpathId
                + "\\\",\\\"orderId\\\":\\\"1234\\\"}\",\"mailboxProvider\":\"Gmail\",\"recipientDomain\":"
                + "\"example.org\",\"recipientType\":\"to\",\"timestamp\":1763803812345}";
    }
}
