package io.mailpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factories 0.1.0 had, kept deprecated for applications written against it: each gives the attachment its named
 * steps give, and refuses what they refuse with the same error.
 */
@SuppressWarnings("removal")
class DeprecatedAttachmentFactoriesTest {
    private static final byte[] PDF = {37, 80, 68, 70};

    @Test
    void ofWithBytesIsNamedTypeBytes() {
        byte[] content = PDF.clone();
        Attachment old = Attachment.of("invoice.pdf", "application/pdf", content);
        Attachment replacement =
                Attachment.named("invoice.pdf").type("application/pdf").bytes(PDF);
        content[0] = 0; // copied, as the named steps copy

        assertAlike(old, replacement);
        assertSameRefusal(
                () -> Attachment.of("invoice.pdf", "invoice.pdf", PDF),
                () -> Attachment.named("invoice.pdf").type("invoice.pdf").bytes(PDF));
        assertSameRefusal(
                () -> Attachment.of("invoice.pdf", "application/pdf", (byte[]) null),
                () -> Attachment.named("invoice.pdf").type("application/pdf").bytes(null));
    }

    @Test
    void ofWithAFileIsNamedTypeFile(@TempDir Path dir) throws IOException {
        Path csv = Files.write(dir.resolve("report.csv"), new byte[] {'a', ',', 'b'});
        Attachment old = Attachment.of("report.csv", "text/csv", csv);
        Attachment replacement = Attachment.named("report.csv").type("text/csv").file(csv);
        assertAlike(old, replacement);

        // Both read the file when the message is sent, not when the attachment is made.
        Files.write(csv, new byte[] {'c'});
        assertThat(old.readAllBytes()).containsExactly(replacement.readAllBytes());
        assertThat(old.readAllBytes()).containsExactly('c');

        Path missing = dir.resolve("missing.csv");
        assertSameRefusal(
                () -> Attachment.of("report.csv", "text/csv", missing),
                () -> Attachment.named("report.csv").type("text/csv").file(missing));
    }

    @Test
    void inlineWithBytesIsInlineNamedTypeBytes() {
        Attachment old = Attachment.inline("logo", "logo.png", "image/png", PDF);
        Attachment replacement =
                Attachment.inline("logo").named("logo.png").type("image/png").bytes(PDF);
        assertAlike(old, replacement);
        assertThat(old.disposition()).isEqualTo(Attachment.Disposition.INLINE);

        assertSameRefusal(
                () -> Attachment.inline("bad id", "logo.png", "image/png", PDF), () -> Attachment.inline("bad id")
                        .named("logo.png")
                        .type("image/png")
                        .bytes(PDF));
    }

    @Test
    void inlineWithAFileIsInlineNamedTypeFile(@TempDir Path dir) throws IOException {
        Path png = Files.write(dir.resolve("logo.png"), new byte[] {1, 2, 3});
        Attachment old = Attachment.inline("logo", "logo.png", "image/png", png);
        Attachment replacement =
                Attachment.inline("logo").named("logo.png").type("image/png").file(png);
        assertAlike(old, replacement);

        assertSameRefusal(
                () -> Attachment.inline("logo", "", "image/png", png),
                () -> Attachment.inline("logo").named("").type("image/png").file(png));
    }

    private static void assertAlike(Attachment old, Attachment replacement) {
        assertThat(old.filename()).isEqualTo(replacement.filename());
        assertThat(old.contentType()).isEqualTo(replacement.contentType());
        assertThat(old.disposition()).isEqualTo(replacement.disposition());
        assertThat(old.contentId()).isEqualTo(replacement.contentId());
        assertThat(old.size()).isEqualTo(replacement.size());
        assertThat(old.readAllBytes()).containsExactly(replacement.readAllBytes());
        assertThat(old).hasToString(replacement.toString());
    }

    private static void assertSameRefusal(Supplier<Attachment> old, Supplier<Attachment> replacement) {
        InvalidMailException oldError = catchThrowableOfType(InvalidMailException.class, old::get);
        InvalidMailException replacementError = catchThrowableOfType(InvalidMailException.class, replacement::get);
        assertThat(oldError).as("the deprecated factory's error").isNotNull();
        assertThat(replacementError).as("the named steps' error").isNotNull();
        assertThat(oldError.field()).isEqualTo(replacementError.field());
        assertThat(oldError).hasMessage(replacementError.getMessage());
    }
}
