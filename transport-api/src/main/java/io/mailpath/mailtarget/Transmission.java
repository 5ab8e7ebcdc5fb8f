package io.mailpath.mailtarget;

import java.util.List;
import java.util.Map;

/**
 * The request body of {@code POST /v1/layang/transmissions} ({@code model.TransmissionForm} in Mailtarget's OpenAPI
 * spec), field for field. Null fields are left out of the JSON.
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

    /** {@code model.Attachments}: {@code value} is the content in base64. */
    public record Attachment(String filename, String mimeType, String value, String contentId, String disposition) {}

    /** {@code model.OptionsAttributes}. */
    public record Options(Boolean clickTracking, Boolean openTracking, Boolean transactional) {}

    /** {@code model.TransmissionData}: the success response. */
    public record Result(String transmissionId) {}
}
