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
        return withMetadata(eventId, status, recipient, "\\\"mailpath_id\\\":\\\"" + mailpathId + "\\\"");
    }

    /**
     * One event of a message a named stream sent: its metadata also holds the stream's name, as the transports send
     * it.
     */
    static String eventInStream(String eventId, String status, String recipient, String mailpathId, String stream) {
        return withMetadata(
                eventId,
                status,
                recipient,
                "\\\"mailpath_id\\\":\\\"" + mailpathId + "\\\",\\\"mailpath_stream\\\":\\\"" + stream + "\\\"");
    }

    /** One event whose metadata JSON string holds these entries (escaped within it) and an order id. */
    private static String withMetadata(String eventId, String status, String recipient, String escapedEntries) {
        return "{\"status\":\"" + status + "\",\"eventId\":\"" + eventId + "\",\"messageId\":\"msg-" + eventId
                + "\",\"subject\":\"Your receipt\",\"sender\":\"billing@example.com\",\"recipient\":\"" + recipient
                + "\",\"recipientMeta\":\"{" + escapedEntries
                + ",\\\"orderId\\\":\\\"1234\\\"}\",\"mailboxProvider\":\"Gmail\",\"recipientDomain\":"
                + "\"example.org\",\"recipientType\":\"to\",\"timestamp\":1763803812345}";
    }
}
