package io.mailpath.transport.api;

import static io.mailpath.transport.api.ApiFixture.json;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.testing.peers.TransmissionSpec;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The composer alone: a {@link Mail} in, transmission requests out, written by {@link TransmissionWriter} as the Rest
 * Client sends them and checked against the OpenAPI spec; no network. The writer's own cases:
 * {@link TransmissionWriterTest}.
 */
class TransmissionComposerTest {
    private static final TransmissionComposer COMPOSER =
            new TransmissionComposer(ApiSettings.DEFAULT_MAX_REQUEST_BYTES);
    private static final TransmissionWriter WRITER = new TransmissionWriter();

    /** The one request composed for this mail, as JSON, after checking it against the spec. */
    private static JsonObject onlyRequest(Mail mail) {
        List<Transmission> requests = COMPOSER.compose(mail);
        assertThat(requests).hasSize(1);
        String body = write(requests.get(0));
        assertThat(TransmissionSpec.violations(body))
                .as("what breaks the OpenAPI spec")
                .isEmpty();
        return json(body);
    }

    /** The request body the Rest Client would send. */
    static String write(Transmission t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WRITER.write(t, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void leavesOutWhatTheMessageDoesNotHave() {
        JsonObject body = onlyRequest(simple().build());

        assertThat(body.keySet()).containsExactlyInAnyOrder("subject", "from", "to", "bodyText", "headers", "metadata");
        assertThat(body.getJsonObject("from").keySet()).containsExactly("email");
        assertThat(body.toString()).doesNotContain("null");
    }

    @Test
    void sendsATemplateWithItsSubstitutionDataAndNoBody() {
        JsonObject body = onlyRequest(simple().template("welcome-v2")
                .substitution("name", "Ann")
                .html("<p>fallback</p>")
                .build());

        assertThat(body.getString("templateId")).isEqualTo("welcome-v2");
        assertThat(body.getJsonObject("substitutionData").getString("name")).isEqualTo("Ann");
        assertThat(body.containsKey("bodyText")).isFalse();
        assertThat(body.containsKey("bodyHtml")).isFalse();
    }
}
