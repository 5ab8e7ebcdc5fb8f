package io.mailpath.transport.api;

import static io.mailpath.transport.api.ApiFixture.json;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.TrackingOptions;
import io.mailpath.testing.peers.TransmissionSpec;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request body writer alone: JSON that the spec accepts, strings escaped by JSON-P, attachments' base64 streamed
 * from their source whatever their length, an unreadable file told apart from a failing connection.
 */
class TransmissionWriterTest {
    private static final TransmissionComposer COMPOSER = new TransmissionComposer(Long.MAX_VALUE);

    @TempDir
    Path dir;

    private static JsonObject write(Mail mail) {
        List<Transmission> requests = COMPOSER.compose(mail);
        assertThat(requests).hasSize(1);
        String body = TransmissionComposerTest.write(requests.get(0));
        assertThat(TransmissionSpec.violations(body))
                .as("what breaks the OpenAPI spec")
                .isEmpty();
        return json(body);
    }

    @Test
    void writesEveryFieldAndEscapesTheText() {
        String awkward = "\"quoted\" back\\slash\ttab \u00fcml\u00e4ut \u4e2d\u6587 \ud83d\udce8 </script> \u2028";
        Mail mail = Mail.builder()
                .from("sender@example.com", awkward)
                .to(io.mailpath.Address.of("ann@example.org", "Ann"))
                .cc("c@example.org")
                .bcc("b@example.org")
                .replyTo("help@example.com")
                .subject(awkward)
                .text(awkward)
                .html("<p>" + awkward + "</p>")
                .header("X-Campaign", awkward)
                .metadata("note", awkward)
                .tracking(new TrackingOptions(true, null, false))
                .attach(Attachment.named("na\"me \u00e4.txt").type("text/plain").bytes(new byte[] {1}))
                .build();

        JsonObject body = write(mail);

        assertThat(body.keySet())
                .containsExactlyInAnyOrder(
                        "subject",
                        "from",
                        "replyTo",
                        "to",
                        "cc",
                        "bcc",
                        "bodyText",
                        "bodyHtml",
                        "headers",
                        "attachments",
                        "metadata",
                        "optionsAttributes");
        assertThat(body.getString("subject")).isEqualTo(awkward);
        assertThat(body.getJsonObject("from").getString("name")).isEqualTo(awkward);
        assertThat(body.getString("bodyText")).isEqualTo(awkward);
        assertThat(body.getString("bodyHtml")).isEqualTo("<p>" + awkward + "</p>");
        assertThat(body.getJsonArray("headers").getJsonObject(1).getString("value"))
                .isEqualTo(awkward);
        assertThat(body.getJsonObject("metadata").getString("note")).isEqualTo(awkward);
        assertThat(body.getJsonObject("optionsAttributes").keySet())
                .containsExactlyInAnyOrder("openTracking", "transactional");
        JsonObject attachment = body.getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.keySet()).containsExactlyInAnyOrder("filename", "mimeType", "disposition", "value");
        assertThat(attachment.getString("filename")).isEqualTo("na\"me \u00e4.txt");
        assertThat(attachment.getString("value")).isEqualTo("AQ==");
    }

    @Test
    void streamsEveryLengthOfContentFromBytesAndFiles() throws IOException {
        Random random = new Random(5);
        Mail.Builder builder = simple();
        int[] lengths = {0, 1, 2, 3, 4, 5, 48 * 1024 - 1, 48 * 1024, 48 * 1024 + 1, 100_003};
        byte[][] contents = new byte[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            contents[i] = new byte[lengths[i]];
            random.nextBytes(contents[i]);
            if (i % 2 == 0) {
                builder.attach(Attachment.named("bytes-" + i + ".bin")
                        .type("application/octet-stream")
                        .bytes(contents[i]));
            } else {
                Path file = Files.write(dir.resolve("file-" + i + ".bin"), contents[i]);
                builder.attach(Attachment.inline("part" + i)
                        .named("file-" + i + ".bin")
                        .type("application/octet-stream")
                        .file(file));
            }
        }

        JsonObject body = write(builder.build());

        var attachments = body.getJsonArray("attachments").getValuesAs(JsonObject.class);
        assertThat(attachments).hasSize(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            String value = attachments.get(i).getString("value");
            assertThat(value).hasSize((int) TransmissionComposer.base64Size(lengths[i]));
            assertThat(Base64.getDecoder().decode(value)).as("attachment %d", i).isEqualTo(contents[i]);
        }
        assertThat(attachments.get(1).getString("contentId")).isEqualTo("part1");
        assertThat(attachments.get(1).getString("disposition")).isEqualTo("inline");
    }

    @Test
    void theComposerReadsNothingAndAnUnreadableFileFailsTheWriteNamingTheAttachment() throws IOException {
        Path file = Files.write(dir.resolve("report-2024.pdf"), new byte[] {1, 2, 3});
        Mail mail = simple().attach(
                        Attachment.named("report.pdf").type("application/pdf").file(file))
                .build();
        Files.delete(file);

        Transmission t = COMPOSER.compose(mail).get(0);

        assertThatThrownBy(() -> new TransmissionWriter().write(t, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(UnreadableAttachmentException.class, e -> assertThat(e.filename())
                        .isEqualTo("report.pdf"))
                .hasMessageContaining("'report.pdf'");
    }

    @Test
    void aFailingOutputStreamIsPassedOnAsItIs() {
        Transmission t = COMPOSER.compose(simple().attach(Attachment.named("a.bin")
                                .type("application/octet-stream")
                                .bytes(new byte[10_000]))
                        .build())
                .get(0);
        IOException broken = new IOException("Broken pipe");
        OutputStream failing = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 500) {
                    throw broken;
                }
            }
        };

        assertThatThrownBy(() -> new TransmissionWriter().write(t, failing)).isSameAs(broken);
    }

    @Test
    void flushesTheEntityStreamAndLeavesItOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Transmission t = COMPOSER.compose(simple().attach(Attachment.named("a.txt")
                                .type("text/plain")
                                .bytes("hi".getBytes(StandardCharsets.US_ASCII)))
                        .build())
                .get(0);

        new TransmissionWriter().write(t, out);

        assertThat(closed[0]).isFalse();
        assertThat(json(out.toString(StandardCharsets.UTF_8))
                        .getJsonArray("attachments")
                        .getJsonObject(0)
                        .getString("value"))
                .isEqualTo("aGk=");
    }

    @Test
    void jsonbRefusesAnAttachmentRatherThanSendItEmpty() throws Exception {
        Transmission t = COMPOSER.compose(simple().attach(
                                Attachment.named("a.txt").type("text/plain").bytes(new byte[] {1}))
                        .build())
                .get(0);

        try (Jsonb jsonb = JsonbBuilder.create()) {
            assertThatThrownBy(() -> jsonb.toJson(t))
                    .hasStackTraceContaining("must be written by " + TransmissionWriter.class.getName());
        }
    }

    @Test
    void writesTransmissionsOnly() {
        TransmissionWriter writer = new TransmissionWriter();
        Annotation[] none = {};

        assertThat(writer.isWriteable(Transmission.class, Transmission.class, none, MediaType.APPLICATION_JSON_TYPE))
                .isTrue();
        assertThat(writer.isWriteable(
                        Transmission.Result.class, Transmission.Result.class, none, MediaType.APPLICATION_JSON_TYPE))
                .isFalse();
        assertThat(writer.isWriteable(Object.class, Object.class, none, MediaType.APPLICATION_JSON_TYPE))
                .isFalse();
    }
}
