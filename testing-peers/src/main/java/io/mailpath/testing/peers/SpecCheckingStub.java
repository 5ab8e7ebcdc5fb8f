package io.mailpath.testing.peers;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A WireMock server on loopback that checks every request it receives against Mailtarget's OpenAPI spec
 * ({@link TransmissionSpec}), with unknown fields treated as errors, so that a field-name slip fails the test.
 *
 * <p>It needs {@code org.wiremock:wiremock-standalone}, {@code com.atlassian.oai:swagger-request-validator-core}
 * (without {@code com.sun.mail:mailapi}) and {@code javax.mail:javax.mail-api} on the test class path, which
 * {@code mailpath-testing-peers} does not bring: the test that uses the stub declares them (the BOM manages them).
 */
public final class SpecCheckingStub implements AutoCloseable {
    public final WireMockServer server;
    private final List<String> violations = new CopyOnWriteArrayList<>();

    public SpecCheckingStub() {
        this(UnaryOperator.identity());
    }

    /**
     * A stub whose WireMock options a test adds to (extensions such as a response transformer that fails requests
     * at random, more threads for many slow answers); it stays on loopback, on a free port.
     */
    public SpecCheckingStub(UnaryOperator<WireMockConfiguration> options) {
        server = new WireMockServer(options.apply(WireMockConfiguration.options())
                .bindAddress("127.0.0.1")
                .dynamicPort());
        server.addMockServiceRequestListener((request, response) -> {
            SimpleRequest.Builder b =
                    new SimpleRequest.Builder(request.getMethod().getName(), request.getUrl());
            request.getHeaders().all().forEach(h -> b.withHeader(h.key(), h.values()));
            b.withBody(request.getBodyAsString());
            TransmissionSpec.errors(TransmissionSpec.check(b.build()))
                    .forEach(error -> violations.add(request.getUrl() + ": " + error));
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
        return TransmissionSpec.check(request);
    }

    @Override
    public void close() {
        server.stop();
    }
}
