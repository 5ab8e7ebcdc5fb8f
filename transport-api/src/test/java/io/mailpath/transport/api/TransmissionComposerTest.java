package io.mailpath.transport.api;

import static io.mailpath.transport.api.ApiFixture.json;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.InvalidMailException;
import io.mailpath.Mail;
import io.mailpath.testing.peers.TransmissionSpec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void aNamedStreamAddsItsNameToTheMetadataAndNothingElse() {
        Mail mail = simple().metadata("orderId", "1234").build();

        String unnamed = write(COMPOSER.compose(mail).get(0));
        JsonObject named = onlyRequest(mail.inStream("marketing"));

        assertThat(named.getJsonObject("metadata").getString(Mail.STREAM_METADATA_KEY))
                .isEqualTo("marketing");
        JsonObject withoutStream = Json.createObjectBuilder(named)
                .add(
                        "metadata",
                        Json.createObjectBuilder(named.getJsonObject("metadata"))
                                .remove(Mail.STREAM_METADATA_KEY))
                .build();
        assertThat(withoutStream).isEqualTo(json(unnamed));
    }

    @Test
    void theUnnamedStreamSendsNoStreamEntry() {
        Mail mail = simple().metadata("orderId", "1234").build();

        JsonObject body = onlyRequest(mail);

        assertThat(body.getJsonObject("metadata").keySet()).containsExactly("orderId", Mail.ID_METADATA_KEY);
        // The stream named as the default is the unnamed stream: the same bytes.
        assertThat(write(COMPOSER.compose(mail.inStream("default")).get(0)))
                .isEqualTo(write(COMPOSER.compose(mail).get(0)));
    }

    @Test
    void everyRequestOfAPerRecipientMailCarriesTheStream() {
        Mail mail = simple().to("ann@example.org", "bob@example.org") // and rcpt@example.org
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("bob@example.org", Map.of("name", "Bob"))
                .build()
                .inStream("transactional");

        List<Transmission> requests = COMPOSER.compose(mail);

        assertThat(requests).hasSize(3).allSatisfy(t -> assertThat(t.metadata())
                .containsEntry(Mail.STREAM_METADATA_KEY, "transactional")
                .containsEntry(Mail.ID_METADATA_KEY, mail.id()));
    }

    /**
     * {@link Mail#MAX_METADATA_BYTES} bounds the application's metadata; the id and the stream are Mailpath's and come
     * on top. A message at the limit, with the longest id and stream name there are, is sent whole and stays valid.
     */
    @Test
    void metadataAtItsLimitIsSentWholeWithTheLongestIdAndStream() {
        Map<String, String> atLimit = metadataOfExactly(Mail.MAX_METADATA_BYTES);
        String longestId = "i".repeat(128);
        String longestStream = "s".repeat(32);
        Mail.Builder builder = simple().id(longestId);
        atLimit.forEach(builder::metadata);
        Mail mail = builder.build().inStream(longestStream);

        JsonObject metadata = onlyRequest(mail).getJsonObject("metadata");

        Map<String, String> expected = new LinkedHashMap<>(atLimit);
        expected.put(Mail.ID_METADATA_KEY, longestId);
        expected.put(Mail.STREAM_METADATA_KEY, longestStream);
        assertThat(metadata.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(metadata.getString(k)).as(k).isEqualTo(v));
        // The limit is the one the builder enforces: a byte more is refused there, not trimmed here.
        Map<String, String> overLimit = metadataOfExactly(Mail.MAX_METADATA_BYTES + 1);
        Mail.Builder over = simple();
        overLimit.forEach(over::metadata);
        assertThatThrownBy(over::build).isInstanceOf(InvalidMailException.class);
    }

    /**
     * Metadata whose size, counted as {@link Mail} counts it (the JSON object's bytes), is exactly {@code bytes}:
     * entries as large as the per-entry limits allow, the last one cut to fit.
     */
    static Map<String, String> metadataOfExactly(int bytes) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int left = bytes - 2; // {}
        for (int i = 0; left > 0; i++) {
            String key = String.format("key-%02d", i);
            int overhead = key.length() + 6; // two pairs of quotes, a colon and a comma
            int value = Math.min(Mail.MAX_METADATA_VALUE, left - overhead);
            if (value < 1) {
                throw new IllegalArgumentException("cannot reach " + bytes + " bytes exactly");
            }
            metadata.put(key, "v".repeat(value));
            left -= overhead + value;
        }
        return metadata;
    }
}
