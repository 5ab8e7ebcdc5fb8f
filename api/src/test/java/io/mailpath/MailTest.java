package io.mailpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailTest {
    private static Mail.Builder valid() {
        return Mail.builder()
                .from("a@example.com")
                .to("b@example.org")
                .subject("s")
                .text("t");
    }

    @Test
    void buildsAnImmutableMessageWithAStableId() {
        Mail mail = valid().metadata("k", "v").header("X-Tag", "1").build();
        assertThat(mail.id()).isNotBlank();
        assertThat(valid().build().id()).isNotEqualTo(mail.id());
        assertThatThrownBy(() -> mail.to().add(Address.of("x@example.org")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> mail.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(valid().id("order-7").build().id()).isEqualTo("order-7");
    }

    @Test
    void aNullArgumentIsATypedErrorNamingTheField() {
        Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
        calls.put("to", () -> valid().to((String[]) null));
        calls.put("cc", () -> valid().cc((String[]) null));
        calls.put("bcc", () -> valid().bcc((String[]) null));
        calls.put("replyTo", () -> valid().replyTo((String[]) null));
        calls.put("substitutionData", () -> valid().substitutionData(null));
        calls.put("recipientData", () -> valid().recipientData(null, Map.of("name", "Ann")));
        calls.put("recipientData.b@example.org", () -> valid().recipientData("b@example.org", null));
        calls.forEach((field, call) -> assertThatThrownBy(call::run)
                .as(field)
                .isInstanceOfSatisfying(
                        InvalidMailException.class, e -> assertThat(e.field()).isEqualTo(field)));
    }

    @Test
    void requiresSenderRecipientSubjectAndBody() {
        assertThatThrownBy(() -> Mail.builder()
                        .to("b@example.org")
                        .subject("s")
                        .text("t")
                        .build())
                .isInstanceOfSatisfying(
                        InvalidMailException.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> Mail.builder()
                        .from("a@example.com")
                        .subject("s")
                        .text("t")
                        .build())
                .isInstanceOfSatisfying(
                        InvalidMailException.class, e -> assertThat(e.field()).isEqualTo("to"));
        assertThatThrownBy(() -> Mail.builder()
                        .from("a@example.com")
                        .to("b@example.org")
                        .text("t")
                        .build())
                .isInstanceOfSatisfying(
                        InvalidMailException.class, e -> assertThat(e.field()).isEqualTo("subject"));
        assertThatThrownBy(() -> Mail.builder()
                        .from("a@example.com")
                        .to("b@example.org")
                        .subject("s")
                        .build())
                .isInstanceOfSatisfying(
                        InvalidMailException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void invalidMailIsARejection() {
        assertThatThrownBy(() -> valid().subject("a\nb").build())
                .isInstanceOf(MailRejectedException.class)
                .satisfies(e -> assertThat(((MailException) e).kind()).isEqualTo(FailureKind.REJECTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nb", "a\rb", "a\nb"})
    void lineBreaksAreRejectedEverywhere(String bad) {
        assertThatThrownBy(() -> valid().subject(bad).build()).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().header("X-Tag", bad).build()).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> Address.of("a@example.com", bad)).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().metadata("k", bad).build()).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> Attachment.named(bad).type("text/plain").bytes(new byte[1]))
                .isInstanceOf(InvalidMailException.class);
    }

    @Test
    void headerNamesAreCheckedAndStandardOnesAreReserved() {
        assertThatThrownBy(() -> valid().header("Bad Name", "v").build()).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().header("X:Y", "v").build()).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().header("Bcc", "x@example.org").build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("set by Mailpath");
        assertThatThrownBy(() -> valid().header("message-id", "<x@y>").build())
                .isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().header("X-A", "1").header("x-a", "2"))
                .isInstanceOf(InvalidMailException.class);
    }

    @Test
    void substitutionKeysFollowMailtargetsRule() {
        assertThat(valid().substitution("first_name2", "x").build().substitutionData())
                .containsKey("first_name2");
        for (String bad : new String[] {
            "1abc",
            "_abc",
            "a-b",
            "a b",
            "",
            "email",
            "address",
            "email_id",
            "env_from",
            "return_path",
            "end",
            "function"
        }) {
            assertThatThrownBy(() -> valid().substitution(bad, "x").build())
                    .as(bad)
                    .isInstanceOf(InvalidMailException.class);
        }
    }

    @Test
    void substitutionDataIsBoundedTo100Kilobytes() {
        String big = "x".repeat(Mail.MAX_SUBSTITUTION_BYTES);
        assertThatThrownBy(() -> valid().substitution("big", big).build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("substitutionData");
    }

    @Test
    void perRecipientDataMustNameToRecipientsAndExcludesCopies() {
        assertThatThrownBy(() -> valid().recipientData("other@example.org", Map.of("n", "1"))
                        .build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("not one of the 'to' recipients");
        assertThatThrownBy(() -> valid().cc("c@example.org")
                        .recipientData("b@example.org", Map.of("n", "1"))
                        .build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("cc or bcc");
        Mail mail = valid().substitution("a", "shared")
                .substitution("n", "shared")
                .recipientData("B@example.org", Map.of("n", "own"))
                .build();
        assertThat(mail.isPerRecipient()).isTrue();
        assertThat(mail.substitutionDataFor(mail.to().get(0)))
                .containsEntry("a", "shared")
                .containsEntry("n", "own");
    }

    @Test
    void recipientsAreBoundedAndUnique() {
        Mail.Builder b = Mail.builder().from("a@example.com").subject("s").text("t");
        for (int i = 0; i <= Mail.MAX_RECIPIENTS; i++) {
            b.to("r" + i + "@example.org");
        }
        assertThatThrownBy(b::build).isInstanceOf(InvalidMailException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> valid().bcc("B@example.org").build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void attachmentsAreBounded() {
        byte[] big = new byte[(int) Mail.MAX_ATTACHMENT_BYTES / 2 + 1];
        assertThatThrownBy(() -> valid().attach(Attachment.named("a.bin")
                                .type("application/octet-stream")
                                .bytes(big))
                        .attach(Attachment.named("b.bin")
                                .type("application/octet-stream")
                                .bytes(big))
                        .build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("attachments");
        assertThatThrownBy(() -> Attachment.named("a.txt").type("not a type").bytes(new byte[1]))
                .isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> Attachment.inline("bad id")
                        .named("a.png")
                        .type("image/png")
                        .bytes(new byte[1]))
                .isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().attach(Attachment.inline("x")
                                .named("a.png")
                                .type("image/png")
                                .bytes(new byte[1]))
                        .attach(Attachment.inline("x")
                                .named("b.png")
                                .type("image/png")
                                .bytes(new byte[1]))
                        .build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("used twice");
    }

    @Test
    void attachmentBytesAreCopied() {
        byte[] content = {1, 2, 3};
        Attachment a =
                Attachment.named("a.bin").type("application/octet-stream").bytes(content);
        content[0] = 9;
        assertThat(a.readAllBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void templateMessagesKeepTheirFallbackBody() {
        Mail mail = Mail.builder()
                .from("a@example.com")
                .to("b@example.org")
                .subject("s")
                .template("welcome-v2")
                .substitution("name", "Ann")
                .text("Welcome, {{name}}")
                .build();
        assertThat(mail.hasTemplate()).isTrue();
        assertThat(mail.hasBody()).isTrue();
        assertThatThrownBy(() -> valid().template("has space").build()).isInstanceOf(InvalidMailException.class);
    }

    @Test
    void metadataCannotUseTheReservedIdKey() {
        assertThatThrownBy(() -> valid().metadata(Mail.ID_METADATA_KEY, "x").build())
                .isInstanceOf(InvalidMailException.class);
    }

    @Test
    void idsAreSafeForHeaders() {
        assertThatThrownBy(() -> valid().id("a b").build()).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> valid().id("<x>").build()).isInstanceOf(InvalidMailException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "7",
                "order-1042.v2_final",
                "A23456789012345678901234567890123456789012345678901234"
                        + "56789012345678901234567890123456789012345678901234567890123456789012345678"
            })
    void anIdIsOneTo128LettersDigitsDotsUnderscoresOrHyphensStartingWithALetterOrDigit(String id) {
        assertThat(id).hasSizeLessThanOrEqualTo(128);
        assertThat(valid().id(id).build().id()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", ".a", "_a", "a/b", "a:b", "\u00e9t\u00e9"})
    void anIdOutsideTheRuleNamesTheRule(String id) {
        assertThatThrownBy(() -> valid().id(id).build())
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("1 to 128")
                .hasMessageContaining("starting with a letter or digit");
        assertThatThrownBy(() -> valid().id("a".repeat(129)).build()).isInstanceOf(InvalidMailException.class);
    }

    @Test
    void eachAttachmentArgumentHasItsOwnStep(@TempDir Path dir) throws IOException {
        Attachment invoice =
                Attachment.named("invoice.pdf").type("application/pdf").bytes(new byte[] {1, 2});
        assertThat(invoice.filename()).isEqualTo("invoice.pdf");
        assertThat(invoice.contentType()).isEqualTo("application/pdf");
        assertThat(invoice.disposition()).isEqualTo(Attachment.Disposition.ATTACHMENT);
        assertThat(invoice.contentId()).isNull();
        assertThat(invoice.size()).isEqualTo(2);

        Path png = Files.write(dir.resolve("logo.png"), new byte[] {1, 2, 3});
        Attachment logo =
                Attachment.inline("logo").named("logo.png").type("image/png").file(png);
        assertThat(logo.contentId()).isEqualTo("logo");
        assertThat(logo.filename()).isEqualTo("logo.png");
        assertThat(logo.contentType()).isEqualTo("image/png");
        assertThat(logo.disposition()).isEqualTo(Attachment.Disposition.INLINE);
        assertThat(logo.readAllBytes()).containsExactly(1, 2, 3);

        // A swapped argument fails where it lands, naming the step.
        assertThatThrownBy(() ->
                        Attachment.named("invoice.pdf").type("invoice.pdf").bytes(new byte[1]))
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("attachment.contentType");
        assertThatThrownBy(() -> Attachment.named("a.txt").type("text/plain").file(dir.resolve("missing.txt")))
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("attachment.file");
    }

    @Test
    void trackingOptionsAreSetByName() {
        TrackingOptions options = TrackingOptions.DEFAULT
                .withOpenTracking(true)
                .withClickTracking(false)
                .withTransactional(true);
        assertThat(options).isEqualTo(new TrackingOptions(true, false, true));
        assertThat(options.withClickTracking(null).clickTracking()).isNull();
        assertThat(TrackingOptions.DEFAULT.isSet()).isFalse();
        assertThat(TrackingOptions.DEFAULT.withTransactional(true).isSet()).isTrue();
    }

    @Test
    void toStringShowsNoContent() {
        Mail mail = valid().substitution("secretCode", "123456").build();
        assertThat(mail.toString()).doesNotContain("123456");
    }
}
