package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailRejectedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The composer alone: a {@link Mail} in, MIME out, no network. */
class SmtpComposerTest {
    private static final Session SESSION = Session.getInstance(new Properties());

    private static final SmtpComposer COMPOSER = new SmtpComposer(SESSION, null, false);

    private static MimeMessage roundTrip(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return new MimeMessage(SESSION, new ByteArrayInputStream(out.toByteArray()));
    }

    /** The message of a mail's only part, read back from its bytes. */
    private static MimeMessage only(SmtpComposer composer, Mail mail) throws Exception {
        List<SmtpComposer.Outgoing> parts = composer.compose(mail);
        assertThat(parts).hasSize(1);
        return roundTrip(composer.message(parts.get(0)));
    }

    private static Mail.Builder base() {
        return Mail.builder()
                .from("news@bücher.example")
                .to("reader@example.org")
                .subject("Hi");
    }

    @Test
    void partsAreWrittenAsTheirEncodingSaysWithTheContentAsItIsUnder7bit() throws Exception {
        String text = "Line one\r\nline two, plain ASCII";
        String html = "<p>Gr\u00fc\u00dfe</p>";
        byte[] file = new byte[3000];
        new java.util.Random(7).nextBytes(file);
        Mail mail = base().text(text)
                .html(html)
                .attach(io.mailpath.Attachment.named("data.bin")
                        .type("application/octet-stream")
                        .bytes(file))
                .build();
        MimeMessage composed = COMPOSER.message(COMPOSER.compose(mail).get(0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        composed.writeTo(out);
        String raw = out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);

        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(out.toByteArray()));
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        jakarta.mail.internet.MimeBodyPart plain = (jakarta.mail.internet.MimeBodyPart) alternative.getBodyPart(0);
        jakarta.mail.internet.MimeBodyPart rich = (jakarta.mail.internet.MimeBodyPart) alternative.getBodyPart(1);
        // 7bit: the text is in the bytes as it is; quoted-printable and base64 are encoded as the headers say.
        assertThat(plain.getEncoding()).isEqualTo("7bit");
        assertThat(raw).contains(text);
        assertThat(plain.getContent()).isEqualTo(text);
        assertThat(rich.getEncoding()).isEqualTo("quoted-printable");
        assertThat(raw).doesNotContain("Gr\u00fc");
        assertThat(rich.getContent()).isEqualTo(html);
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(file);
        // Reading the encoding outside of writing still gives the header's value.
        assertThat(composed.getEncoding()).isNull();
        assertThat(((MimeMultipart) composed.getContent()).getBodyPart(1).getHeader("Content-Transfer-Encoding"))
                .containsExactly("base64");
    }

    @Test
    void aSinglePartMessageIsWrittenAsItsEncodingSays() throws Exception {
        MimeMessage composed = COMPOSER.message(
                COMPOSER.compose(base().text("plain ascii body").build()).get(0));
        assertThat(composed.getEncoding()).isEqualTo("7bit");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        composed.writeTo(out);
        String raw = out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("Content-Transfer-Encoding: 7bit\r\n").endsWith("\r\n\r\nplain ascii body");
        assertThat(composed.getEncoding()).isEqualTo("7bit");
    }

    @Test
    void textOnlyIsASinglePart() throws Exception {
        MimeMessage m = only(COMPOSER, base().text("just text").build());
        assertThat(m.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(m.getContent()).isEqualTo("just text");
    }

    @Test
    void htmlOnlyIsASinglePart() throws Exception {
        MimeMessage m = only(COMPOSER, base().html("<b>x</b>").build());
        assertThat(m.getContentType()).startsWith("text/html");
        assertThat(m.getContent()).isEqualTo("<b>x</b>");
    }

    @Test
    void textAndHtmlAreAlternatives() throws Exception {
        MimeMessage m = only(COMPOSER, base().text("t").html("<p>h</p>").build());
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        MimeMultipart alt = (MimeMultipart) m.getContent();
        assertThat(alt.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(alt.getBodyPart(1).getContentType()).startsWith("text/html");
    }

    @Test
    void messageIdUsesTheStableIdAndTheConfiguredDomain() throws Exception {
        Mail mail = base().id("order-42").text("x").build();
        SmtpComposer composer = new SmtpComposer(SESSION, "mail.example.net", false);
        SmtpComposer.Outgoing part = composer.compose(mail).get(0);
        assertThat(part.messageId()).isEqualTo("<order-42@mail.example.net>");
        assertThat(roundTrip(composer.message(part)).getMessageID()).isEqualTo("<order-42@mail.example.net>");
    }

    @Test
    void internationalDomainsAreSentInAsciiForm() throws Exception {
        SmtpComposer.Outgoing part = COMPOSER.compose(base().text("x").build()).get(0);
        assertThat(part.messageId()).endsWith("@xn--bcher-kva.example>");
        assertThat(roundTrip(COMPOSER.message(part)).getFrom()[0].toString()).isEqualTo("news@xn--bcher-kva.example");
    }

    @Test
    void perRecipientDataMakesOneMessageEach() throws Exception {
        Mail mail = Mail.builder()
                .from("a@example.com")
                .to("x@example.org", "y@example.org")
                .subject("For {{who}}")
                .text("{{who}}")
                .recipientData("x@example.org", Map.of("who", "X"))
                .recipientData("y@example.org", Map.of("who", "Y"))
                .build();
        List<SmtpComposer.Outgoing> all = COMPOSER.compose(mail);
        assertThat(all).hasSize(2);
        assertThat(all.get(0).recipients()).containsExactly("x@example.org");
        assertThat(roundTrip(COMPOSER.message(all.get(0))).getSubject()).isEqualTo("For X");
        assertThat(roundTrip(COMPOSER.message(all.get(1))).getSubject()).isEqualTo("For Y");
        assertThat(all.get(0).messageId()).isNotEqualTo(all.get(1).messageId());
    }

    @Test
    void aPartIsRenderedOnlyWhenItsMessageIsAskedFor() {
        Mail mail = Mail.builder()
                .from("a@example.com")
                .to("x@example.org", "y@example.org")
                .subject("Hi {{name}}")
                .text("x")
                .recipientData("x@example.org", Map.of("name", "X"))
                .recipientData("y@example.org", Map.of("name", "Y\r\nBcc: victim@example.org"))
                .build();
        // Composing renders nothing, so one recipient's bad data does not stop the others.
        List<SmtpComposer.Outgoing> parts = COMPOSER.compose(mail);
        assertThat(parts).hasSize(2);
        assertThat(COMPOSER.message(parts.get(0))).isNotNull();
        assertThatThrownBy(() -> COMPOSER.message(parts.get(1))).isInstanceOf(MailRejectedException.class);
    }

    @Test
    void substitutionCannotInjectAHeaderThroughTheSubject() {
        Mail mail = Mail.builder()
                .from("a@example.com")
                .to("x@example.org")
                .subject("Hi {{name}}")
                .text("x")
                .recipientData("x@example.org", Map.of("name", "X\r\nBcc: victim@example.org"))
                .build();
        SmtpComposer.Outgoing part = COMPOSER.compose(mail).get(0);
        assertThatThrownBy(() -> COMPOSER.message(part))
                .isInstanceOf(MailRejectedException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void templateWithoutFallbackCannotBeComposed() {
        Mail mail = base().template("tpl-1").build();
        assertThatThrownBy(() -> new SmtpComposer(SESSION, null, false).compose(mail))
                .isInstanceOf(MailRejectedException.class)
                .hasMessageContaining("tpl-1");
    }

    @Test
    void substitutionEscapesHtmlUnlessTripleBraced() {
        Map<String, String> data = Map.of("v", "<a&b>");
        assertThat(Substitutions.render("{{v}} {{{v}}} {{ v }} {{missing}}", data, true))
                .isEqualTo("&lt;a&amp;b&gt; <a&b> &lt;a&amp;b&gt; ");
        assertThat(Substitutions.render("{{v}}", data, false)).isEqualTo("<a&b>");
        assertThat(Substitutions.render("no placeholders", data, true)).isEqualTo("no placeholders");
    }

    @Test
    void metadataIsWrittenOnlyWhenAskedForAsOneFormEncodedHeaderPerEntry() throws Exception {
        Mail mail = base().text("x")
                .metadata("orderId", "42")
                .metadata("note", "a b&c=ü")
                .build();
        assertThat(only(COMPOSER, mail).getHeader(Mail.METADATA_HEADER)).isNull();
        MimeMessage m = only(new SmtpComposer(SESSION, null, true), mail);
        assertThat(m.getHeader(Mail.METADATA_HEADER)).containsExactly("orderId=42", "note=a+b%26c%3D%C3%BC");
    }

    @Test
    void aNamedStreamIsOneMoreMetadataEntryWrittenOnlyWithTheMetadata() throws Exception {
        Mail mail = base().text("x").metadata("orderId", "42").build();
        SmtpComposer withMetadata = new SmtpComposer(SESSION, null, true);

        assertThat(only(withMetadata, mail.inStream("marketing")).getHeader(Mail.METADATA_HEADER))
                .containsExactly("orderId=42", Mail.STREAM_METADATA_KEY + "=marketing");
        assertThat(only(withMetadata, mail).getHeader(Mail.METADATA_HEADER)).containsExactly("orderId=42");
        assertThat(only(withMetadata, mail.inStream("default")).getHeader(Mail.METADATA_HEADER))
                .containsExactly("orderId=42");
        // Without the opt-in, recipients see no metadata, the stream's name included.
        assertThat(only(COMPOSER, mail.inStream("marketing")).getHeader(Mail.METADATA_HEADER))
                .isNull();
    }

    @Test
    void aLongMetadataValueIsFoldedBetweenEscapes() {
        String value = SmtpComposer.metadataValue("名前", "注文".repeat(250));
        String[] lines = value.split("\r\n");
        assertThat(lines.length).isGreaterThan(50);
        assertThat(Mail.METADATA_HEADER.length() + 2 + lines[0].length()).isLessThanOrEqualTo(78);
        for (String line : lines) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
            assertThat(line.strip()).matches("(%[0-9A-F]{2}|[^%])+");
        }
        assertThat(value.replaceAll("\\s+", ""))
                .isEqualTo(java.net.URLEncoder.encode("名前", java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode("注文".repeat(250), java.nio.charset.StandardCharsets.UTF_8));
    }
}
