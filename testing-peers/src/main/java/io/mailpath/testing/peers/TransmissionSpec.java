package io.mailpath.testing.peers;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.List;
import java.util.Objects;

/**
 * Mailtarget's OpenAPI spec of the transmission API, read once, with unknown fields treated as errors so that a
 * field-name slip fails. {@link SpecCheckingStub} checks every request it receives with it; a composer test checks a
 * request body with it and no server at all.
 */
public final class TransmissionSpec {
    /** The path transmissions are posted to. */
    public static final String PATH = "/v1/layang/transmissions";

    private TransmissionSpec() {}

    /** Checks a request against the spec. */
    public static ValidationReport check(Request request) {
        return Validator.INSTANCE.validateRequest(request);
    }

    /**
     * The spec's errors for a transmission posted with this JSON body (and a placeholder API key), each as
     * {@code key: message}; empty when the body is valid.
     */
    public static List<String> violations(String json) {
        return errors(check(SimpleRequest.Builder.post(PATH)
                .withHeader("Authorization", "Bearer placeholder")
                .withContentType("application/json")
                .withBody(json)
                .build()));
    }

    /** The errors of a report, each as {@code key: message}. */
    static List<String> errors(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .toList();
    }

    /** Parsing the spec takes a while: once, on first use. */
    private static final class Validator {
        static final OpenApiInteractionValidator INSTANCE = OpenApiInteractionValidator.createForSpecificationUrl(
                        Objects.requireNonNull(TransmissionSpec.class.getResource("/transmission-openapi.json"))
                                .toString())
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                        .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.ERROR)
                        .build())
                .build();
    }
}
