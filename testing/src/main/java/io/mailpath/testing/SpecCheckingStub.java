package io.mailpath.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WireMock server on loopback that checks every request it receives against Mailtarget's OpenAPI spec, with unknown
 * fields treated as errors, so that a field-name slip fails the test.
 */
public final class SpecCheckingStub implements AutoCloseable {
    public final WireMockServer server;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final OpenApiInteractionValidator validator;

    public SpecCheckingStub() {
        validator = OpenApiInteractionValidator.createForSpecificationUrl(
                        Objects.requireNonNull(getClass().getResource("/transmission-openapi.json"))
                                .toString())
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                        .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.ERROR)
                        .build())
                .build();
        server = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.addMockServiceRequestListener((request, response) -> {
            SimpleRequest.Builder b =
                    new SimpleRequest.Builder(request.getMethod().getName(), request.getUrl());
            request.getHeaders().all().forEach(h -> b.withHeader(h.key(), h.values()));
            b.withBody(request.getBodyAsString());
            ValidationReport report = validator.validateRequest(b.build());
            report.getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .forEach(m -> violations.add(request.getUrl() + ": " + m.getKey() + ": " + m.getMessage()));
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Spec violations in the requests received so far. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Forgets the violations seen so far. */
    public void clearViolations() {
        violations.clear();
    }

    /** Checks a request the way the stub does, for tests of the checker itself. */
    public ValidationReport check(Request request) {
        return validator.validateRequest(request);
    }

    @Override
    public void close() {
        server.stop();
    }
}
