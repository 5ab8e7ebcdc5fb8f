package io.mailpath.transport.api;

import jakarta.json.bind.annotation.JsonbTypeSerializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import java.util.List;
import java.util.Map;

/**
 * The request body of {@code POST /v1/layang/transmissions} ({@code model.TransmissionForm} in Mailtarget's OpenAPI
 * spec), field for field. Null fields are left out of the JSON. Written by {@link TransmissionWriter}, which streams
 * the attachments' content; the response is read with JSON-B.
 */
public record Transmission(
        String subject,
        Address from,
        List<Address> replyTo,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        String bodyText,
        String bodyHtml,
        List<Header> headers,
        List<Attachment> attachments,
        Map<String, String> metadata,
        Options optionsAttributes,
        String templateId,
        Map<String, String> substitutionData) {

    /** {@code model.Address}. */
    public record Address(String email, String name) {}

    /** {@code model.Header}. */
    public record Header(String name, String value) {}

    /**
     * {@code model.Attachments}. The content is not held here: {@code content} is the message's attachment, which
     * {@link TransmissionWriter} reads while it writes the request, as the base64 {@code value} field. JSON-B cannot
     * write it ({@link NotForJsonb}).
     */
    public record Attachment(
            String filename,
            String mimeType,
            @JsonbTypeSerializer(NotForJsonb.class) io.mailpath.Attachment content,
            String contentId,
            String disposition) {}

    /**
     * Fails a JSON-B serialization of an attachment's content loudly: if a Rest Client ever chose JSON-B over
     * {@link TransmissionWriter}, it would otherwise send the attachment as an empty object, and the mail without it.
     */
    public static final class NotForJsonb implements JsonbSerializer<io.mailpath.Attachment> {
        /** Instantiated by JSON-B. */
        public NotForJsonb() {}

        @Override
        public void serialize(io.mailpath.Attachment obj, JsonGenerator generator, SerializationContext ctx) {
            throw new IllegalStateException("A transmission must be written by " + TransmissionWriter.class.getName()
                    + ", which streams attachment '" + obj.filename() + "'; the REST client chose JSON-B instead");
        }
    }

    /** {@code model.OptionsAttributes}. */
    public record Options(Boolean clickTracking, Boolean openTracking, Boolean transactional) {}

    /** {@code model.TransmissionData}: the success response. */
    public record Result(String transmissionId) {}
}
