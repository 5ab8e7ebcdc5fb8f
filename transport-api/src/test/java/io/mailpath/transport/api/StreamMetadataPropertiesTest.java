package io.mailpath.transport.api;

import static io.mailpath.transport.api.ApiFixture.json;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.testing.peers.TransmissionSpec;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For every message the builder accepts, whatever its metadata (up to {@link Mail#MAX_METADATA_BYTES}) and its
 * stream: each request carries every application entry unchanged, then the id, then the stream's name for a named
 * stream only, and the OpenAPI spec accepts it. Nothing is dropped to make room.
 */
class StreamMetadataPropertiesTest {
    private static final TransmissionComposer COMPOSER =
            new TransmissionComposer(ApiSettings.DEFAULT_MAX_REQUEST_BYTES);

    @Property(tries = 150)
    void everyEntryTravelsAndTheStreamOnlyWhenNamed(
            @ForAll("metadata") Map<String, String> metadata, @ForAll("streams") String stream) {
        Assume.that(jsonBytes(metadata) <= Mail.MAX_METADATA_BYTES);
        Mail.Builder builder = simple();
        metadata.forEach(builder::metadata);
        Mail mail = builder.build().inStream(stream);

        Map<String, String> expected = new LinkedHashMap<>(metadata);
        expected.put(Mail.ID_METADATA_KEY, mail.id());
        if (!stream.equals(MailStream.DEFAULT)) {
            expected.put(Mail.STREAM_METADATA_KEY, stream);
        }
        List<Transmission> requests = COMPOSER.compose(mail);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).metadata()).containsExactlyEntriesOf(expected);
        String body = TransmissionComposerTest.write(requests.get(0));
        assertThat(TransmissionSpec.violations(body)).isEmpty();
        JsonObject sent = json(body).getJsonObject("metadata");
        assertThat(sent.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(sent.getString(k)).isEqualTo(v));
    }

    /** The metadata's size as {@link Mail} counts it: the JSON object's bytes. */
    private static long jsonBytes(Map<String, String> metadata) {
        long size = 2;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length
                    + 6;
        }
        return size;
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        Arbitrary<String> keys = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('_', '-', '.')
                .ofMinLength(1)
                .ofMaxLength(Mail.MAX_METADATA_KEY)
                .filter(k -> !k.equals(Mail.ID_METADATA_KEY) && !k.equals(Mail.STREAM_METADATA_KEY));
        Arbitrary<String> values = Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\u00fc', '\u6ce8', '\u20ac', '"', '\\')
                .ofMinLength(1)
                .ofMaxLength(Mail.MAX_METADATA_VALUE);
        return Arbitraries.maps(keys, values).ofMaxSize(24);
    }

    @Provide
    Arbitrary<String> streams() {
        Arbitrary<String> named = Combinators.combine(
                        Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .numeric()
                                .withChars('-')
                                .ofMaxLength(31))
                .as((first, rest) -> first + rest);
        return Arbitraries.oneOf(Arbitraries.just(MailStream.DEFAULT), named);
    }
}
