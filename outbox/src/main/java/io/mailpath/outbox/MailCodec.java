package io.mailpath.outbox;

import io.mailpath.Address;
import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.TrackingOptions;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a {@link Mail} to its stored form and back: every field as JSON (JSON-P), the attachments' bytes one after
 * another in a separate value, their sizes in the JSON. Pure mapping, no I/O but reading file attachments.
 */
final class MailCodec {
    /** The stored form's version, written into the JSON so that a later layout can still read older rows. */
    static final int FORMAT = 1;

    /**
     * Looked up once: each of {@code Json}'s static methods looks the provider up again (a {@code ServiceLoader} scan
     * of the class path, tens of microseconds), and a message takes a dozen of them.
     */
    static final JsonProvider JSON = JsonProvider.provider();

    /** A message as stored: its fields as JSON, its attachments' bytes (empty when it has none). */
    record Stored(String json, byte[] attachments) {
        /** The stored size the outbox limits: the JSON in UTF-8 plus the attachments. */
        long size() {
            return (long) json.getBytes(StandardCharsets.UTF_8).length + attachments.length;
        }
    }

    private MailCodec() {}

    /** The stored form; file attachments are read now, so the row holds the whole message. */
    static Stored encode(Mail mail) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonArrayBuilder attachments = JSON.createArrayBuilder();
        for (Attachment a : mail.attachments()) {
            byte[] content = a.readAllBytes();
            bytes.writeBytes(content);
            JsonObjectBuilder part = JSON.createObjectBuilder()
                    .add("filename", a.filename())
                    .add("contentType", a.contentType())
                    .add("size", content.length);
            if (a.disposition() == Attachment.Disposition.INLINE) {
                part.add("contentId", a.contentId());
            }
            attachments.add(part);
        }
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("format", FORMAT)
                .add("id", mail.id())
                .add("from", address(mail.from()))
                .add("replyTo", addresses(mail.replyTo()))
                .add("to", addresses(mail.to()))
                .add("cc", addresses(mail.cc()))
                .add("bcc", addresses(mail.bcc()))
                .add("subject", mail.subject());
        addIfPresent(json, "text", mail.text());
        addIfPresent(json, "html", mail.html());
        addIfPresent(json, "template", mail.templateId());
        JsonObjectBuilder recipientData = JSON.createObjectBuilder();
        mail.recipientData().forEach((email, data) -> recipientData.add(email, strings(data)));
        // Headers as a list of pairs: their order is kept whatever the JSON library does with object members.
        JsonArrayBuilder headers = JSON.createArrayBuilder();
        mail.headers()
                .forEach((name, value) ->
                        headers.add(JSON.createArrayBuilder().add(name).add(value)));
        TrackingOptions tracking = mail.tracking();
        return new Stored(
                json.add("substitutionData", strings(mail.substitutionData()))
                        .add("recipientData", recipientData)
                        .add("headers", headers)
                        .add("metadata", strings(mail.metadata()))
                        .add(
                                "tracking",
                                JSON.createObjectBuilder()
                                        .add("open", bool(tracking.openTracking()))
                                        .add("click", bool(tracking.clickTracking()))
                                        .add("transactional", bool(tracking.transactional())))
                        .add("attachments", attachments)
                        .build()
                        .toString(),
                bytes.toByteArray());
    }

    /**
     * The message again, validated by {@link Mail.Builder#build()} as when it was first built.
     *
     * @throws IllegalArgumentException when the stored form is not one this version wrote
     */
    static Mail decode(String jsonText, byte[] attachmentBytes) {
        JsonObject json;
        try (JsonReader reader = JSON.createReader(new StringReader(jsonText))) {
            json = reader.readObject();
        }
        int format = json.getInt("format", 0);
        if (format != FORMAT) {
            throw new IllegalArgumentException("stored mail format " + format + "; this version reads " + FORMAT);
        }
        Mail.Builder b = Mail.builder()
                .id(json.getString("id"))
                .from(address(json.getJsonObject("from")))
                .subject(json.getString("subject"))
                .text(json.getString("text", null))
                .html(json.getString("html", null))
                .template(json.getString("template", null))
                .substitutionData(strings(json.getJsonObject("substitutionData")));
        addresses(json.getJsonArray("replyTo")).forEach(b::replyTo);
        addresses(json.getJsonArray("to")).forEach(b::to);
        addresses(json.getJsonArray("cc")).forEach(b::cc);
        addresses(json.getJsonArray("bcc")).forEach(b::bcc);
        json.getJsonObject("recipientData")
                .forEach((email, data) -> b.recipientData(email, strings(data.asJsonObject())));
        for (JsonValue header : json.getJsonArray("headers")) {
            JsonArray pair = header.asJsonArray();
            b.header(pair.getString(0), pair.getString(1));
        }
        strings(json.getJsonObject("metadata")).forEach(b::metadata);
        JsonObject tracking = json.getJsonObject("tracking");
        b.tracking(
                new TrackingOptions(bool(tracking, "open"), bool(tracking, "click"), bool(tracking, "transactional")));
        int offset = 0;
        for (JsonValue value : json.getJsonArray("attachments")) {
            JsonObject part = value.asJsonObject();
            int size = part.getInt("size");
            if (offset + size > attachmentBytes.length) {
                throw new IllegalArgumentException(
                        "stored mail " + json.getString("id") + " lists more attachment bytes than it holds");
            }
            byte[] content = new byte[size];
            System.arraycopy(attachmentBytes, offset, content, 0, size);
            offset += size;
            String contentId = part.getString("contentId", null);
            Attachment.Named named = contentId == null
                    ? Attachment.named(part.getString("filename"))
                    : Attachment.inline(contentId).named(part.getString("filename"));
            b.attach(named.type(part.getString("contentType")).bytes(content));
        }
        return b.build();
    }

    /**
     * A copy of {@code mail} for some of its recipients only, sent once per recipient, each copy addressed to that
     * recipient alone with the data the original gave them: every other field as it was, the same id.
     */
    static Mail withRecipients(Mail mail, List<Address> recipients) {
        Mail.Builder b = Mail.builder()
                .id(mail.id())
                .from(mail.from())
                .subject(mail.subject())
                .text(mail.text())
                .html(mail.html())
                .template(mail.templateId())
                .substitutionData(mail.substitutionData())
                .tracking(mail.tracking());
        mail.replyTo().forEach(b::replyTo);
        for (Address a : recipients) {
            b.to(a);
            b.recipientData(
                    a.email(), mail.recipientData().getOrDefault(a.email().toLowerCase(Locale.ROOT), Map.of()));
        }
        mail.headers().forEach(b::header);
        mail.metadata().forEach(b::metadata);
        mail.attachments().forEach(b::attach);
        return b.build();
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static JsonObjectBuilder address(Address a) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("email", a.email());
        addIfPresent(json, "name", a.name());
        return json;
    }

    private static Address address(JsonObject json) {
        return Address.of(json.getString("email"), json.getString("name", null));
    }

    private static JsonArrayBuilder addresses(List<Address> list) {
        JsonArrayBuilder json = JSON.createArrayBuilder();
        list.forEach(a -> json.add(address(a)));
        return json;
    }

    private static List<Address> addresses(JsonArray json) {
        List<Address> list = new ArrayList<>(json.size());
        json.forEach(v -> list.add(address(v.asJsonObject())));
        return list;
    }

    private static JsonObjectBuilder strings(Map<String, String> map) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        map.forEach(json::add);
        return json;
    }

    private static Map<String, String> strings(JsonObject json) {
        Map<String, String> map = new LinkedHashMap<>();
        json.keySet().forEach(k -> map.put(k, json.getString(k)));
        return map;
    }

    private static JsonValue bool(Boolean value) {
        return value == null ? JsonValue.NULL : value ? JsonValue.TRUE : JsonValue.FALSE;
    }

    private static Boolean bool(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return value.getValueType() == JsonValue.ValueType.TRUE;
    }
}
