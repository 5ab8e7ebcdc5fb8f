package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Address;
import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.TrackingOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MailCodecTest {
    /** Accessors derived from others, so compared through them. */
    private static final Set<String> DERIVED = Set.of("hasTemplate", "hasBody", "isPerRecipient", "allRecipients");

    /** A message with every field set, non-ASCII text included. */
    static Mail.Builder everyField() {
        return Mail.builder()
                .id("order-1234.v2_x")
                .from("billing@example.com", "Exämple Billing")
                .replyTo(Address.of("support@example.com", "Support"))
                .replyTo("help@example.com")
                .to(Address.of("ann@example.com", "Ann \"the\" Buyer"))
                .to("bob@example.com")
                .subject("Your receipt – 10 € (ünïcode)")
                .text("Thanks.\r\nLine two, with \"quotes\" and a tab\t.")
                .html("<p>Thanks, <b>{{name}}</b> 🎉</p>")
                .template("receipt-v3")
                .substitution("plan", "Pro")
                .substitution("team", "Example")
                .recipientData("ann@example.com", Map.of("name", "Ann"))
                .recipientData("BOB@example.com", Map.of("name", "Bob", "plan", "Free"))
                .header("X-Campaign", "spring")
                .header("X-Priority-Hint", "high")
                .metadata("orderId", "1234")
                .metadata("tenant", "north")
                .tracking(TrackingOptions.DEFAULT.withOpenTracking(true).withClickTracking(false))
                .attach(Attachment.named("invoice.pdf").type("application/pdf").bytes(new byte[] {0, 1, 2, (byte) 255}))
                .attach(Attachment.named("empty.txt").type("text/plain").bytes(new byte[0]))
                .attach(Attachment.inline("logo")
                        .named("logo.png")
                        .type("image/png")
                        .bytes("PNG".getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Compares every public accessor of {@link Mail}, found by reflection so that a field added to {@code Mail} is
     * compared without changing this test (attachments by their fields and bytes, having no equals of their own).
     */
    static void assertSameMail(Mail actual, Mail expected) throws Exception {
        List<String> compared = new ArrayList<>();
        for (Method m : Mail.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() != 0
                    || m.getDeclaringClass() != Mail.class
                    || m.getName().equals("toString")
                    || DERIVED.contains(m.getName())) {
                continue;
            }
            compared.add(m.getName());
            if (m.getName().equals("attachments")) {
                assertThat(actual.attachments()).hasSameSizeAs(expected.attachments());
                for (int i = 0; i < expected.attachments().size(); i++) {
                    Attachment a = actual.attachments().get(i);
                    Attachment e = expected.attachments().get(i);
                    assertThat(a.filename()).isEqualTo(e.filename());
                    assertThat(a.contentType()).isEqualTo(e.contentType());
                    assertThat(a.disposition()).isEqualTo(e.disposition());
                    assertThat(a.contentId()).isEqualTo(e.contentId());
                    assertThat(a.size()).isEqualTo(e.size());
                    assertThat(a.readAllBytes()).isEqualTo(e.readAllBytes());
                }
            } else {
                assertThat(m.invoke(actual)).as(m.getName()).isEqualTo(m.invoke(expected));
            }
        }
        assertThat(compared)
                .contains(
                        "id",
                        "from",
                        "to",
                        "cc",
                        "bcc",
                        "replyTo",
                        "subject",
                        "text",
                        "html",
                        "templateId",
                        "substitutionData",
                        "recipientData",
                        "headers",
                        "metadata",
                        "tracking",
                        "attachments");
        assertThat(actual.headers().keySet())
                .containsExactlyElementsOf(expected.headers().keySet());
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() throws Exception {
        Mail original = everyField().build();

        MailCodec.Stored stored = MailCodec.encode(original);

        assertSameMail(MailCodec.decode(stored.json(), stored.attachments()), original);
        assertThat(stored.attachments()).hasSize(4 + 0 + 3);
        assertThat(stored.size()).isEqualTo(stored.json().getBytes(StandardCharsets.UTF_8).length + 7L);
    }

    @Test
    void aPlainMessageWithCopiesSurvivesTheRoundTrip() throws Exception {
        Mail original = Mail.builder()
                .from("a@example.com")
                .to("b@example.com")
                .cc("c@example.com")
                .bcc(Address.of("d@example.com", "Dee"))
                .subject("Hi")
                .html("<p>hi</p>")
                .tracking(TrackingOptions.DEFAULT.withTransactional(false))
                .build();

        MailCodec.Stored stored = MailCodec.encode(original);

        assertSameMail(MailCodec.decode(stored.json(), stored.attachments()), original);
        assertThat(stored.attachments()).isEmpty();
        assertThat(stored.json()).doesNotContain("\"text\"", "\"template\"");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThatThrownBy(() -> MailCodec.decode("{\"format\":99}", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 99");
    }

    @Test
    void attachmentBytesShorterThanListedAreRefused() {
        MailCodec.Stored stored = MailCodec.encode(everyField().build());

        assertThatThrownBy(() -> MailCodec.decode(stored.json(), new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("order-1234.v2_x");
    }
}
