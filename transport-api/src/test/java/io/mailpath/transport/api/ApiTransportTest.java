package io.mailpath.transport.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mailpath.transport.api.ApiFixture.KEY;
import static io.mailpath.transport.api.ApiFixture.PATH;
import static io.mailpath.transport.api.ApiFixture.ROTATED_KEY;
import static io.mailpath.transport.api.ApiFixture.json;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.SendReceipt;
import io.mailpath.TrackingOptions;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.Transports;
import io.mailpath.testing.LiveConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API transport against a real HTTP server on loopback that checks every request against the OpenAPI spec: what
 * goes on the wire, configuration, key rotation, per-recipient fan-out. Failures: {@link ApiFailuresTest}; the request
 * mapping alone: {@link TransmissionComposerTest}.
 */
class ApiTransportTest {
    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    @Test
    void sendsEveryFieldUnderTheSpecsNames() {
        api.accept("tx-123");
        byte[] pdf = new byte[5000];
        new java.util.Random(3).nextBytes(pdf);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2};
        Mail mail = Mail.builder()
                .from("billing@example.com", "Billing")
                .to(io.mailpath.Address.of("ann@example.org", "Ann"))
                .cc("c@example.org")
                .bcc("b@example.org")
                .replyTo("help@example.com", "support@example.com")
                .subject("Your invoice")
                .text("Text")
                .html("<p>HTML <img src=\"cid:logo\"></p>")
                .header("X-Campaign", "spring")
                .attach(Attachment.named("invoice.pdf").type("application/pdf").bytes(pdf))
                .attach(Attachment.inline("logo")
                        .named("logo.png")
                        .type("image/png")
                        .bytes(png))
                .metadata("orderId", "1234")
                .tracking(new TrackingOptions(true, false, true))
                .build();

        SendReceipt receipt = api.transport().send(mail);

        assertThat(receipt.transport()).isEqualTo("api");
        assertThat(receipt.transmissionId()).isEqualTo("tx-123");
        assertThat(receipt.mailId()).isEqualTo(mail.id());
        assertThat(receipt.accepted()).containsExactly("ann@example.org", "c@example.org", "b@example.org");
        assertThat(receipt.deliveries().get(0).recipients()).hasSize(3);
        JsonObject body = api.onlyRequest();
        assertThat(body.getString("subject")).isEqualTo("Your invoice");
        assertThat(body.getJsonObject("from").getString("email")).isEqualTo("billing@example.com");
        assertThat(body.getJsonObject("from").getString("name")).isEqualTo("Billing");
        assertThat(body.getJsonArray("to").getJsonObject(0).getString("name")).isEqualTo("Ann");
        assertThat(body.getJsonArray("cc").getJsonObject(0).getString("email")).isEqualTo("c@example.org");
        assertThat(body.getJsonArray("bcc").getJsonObject(0).getString("email")).isEqualTo("b@example.org");
        assertThat(body.getJsonArray("replyTo")).hasSize(2);
        assertThat(body.getString("bodyText")).isEqualTo("Text");
        assertThat(body.getString("bodyHtml")).isEqualTo("<p>HTML <img src=\"cid:logo\"></p>");
        assertThat(body.getJsonArray("headers").getValuesAs(JsonObject.class))
                .extracting(h -> h.getString("name") + "=" + h.getString("value"))
                .containsExactly("X-Mailpath-Id=" + mail.id(), "X-Campaign=spring");
        var attachments = body.getJsonArray("attachments").getValuesAs(JsonObject.class);
        assertThat(attachments).hasSize(2);
        assertThat(attachments.get(0).getString("filename")).isEqualTo("invoice.pdf");
        assertThat(attachments.get(0).getString("mimeType")).isEqualTo("application/pdf");
        assertThat(attachments.get(0).getString("disposition")).isEqualTo("attachment");
        assertThat(attachments.get(0).containsKey("contentId")).isFalse();
        assertThat(Base64.getDecoder().decode(attachments.get(0).getString("value")))
                .isEqualTo(pdf);
        assertThat(attachments.get(1).getString("contentId")).isEqualTo("logo");
        assertThat(attachments.get(1).getString("disposition")).isEqualTo("inline");
        assertThat(Base64.getDecoder().decode(attachments.get(1).getString("value")))
                .isEqualTo(png);
        assertThat(body.getJsonObject("metadata").getString("orderId")).isEqualTo("1234");
        assertThat(body.getJsonObject("metadata").getString("mailpath_id")).isEqualTo(mail.id());
        JsonObject options = body.getJsonObject("optionsAttributes");
        assertThat(options.getBoolean("openTracking")).isTrue();
        assertThat(options.getBoolean("clickTracking")).isFalse();
        assertThat(options.getBoolean("transactional")).isTrue();
        api.server()
                .verify(postRequestedFor(urlEqualTo(PATH))
                        .withHeader("Authorization", equalTo("Bearer " + KEY))
                        .withHeader(
                                "Content-Type",
                                com.github.tomakehurst.wiremock.client.WireMock.containing("application/json")));
    }

    @Test
    void theStubCatchesAFieldNameSlip() {
        // The Go and Node SDKs send "attachment" (singular), which the API silently ignores.
        SimpleRequestHolder slip = new SimpleRequestHolder(
                "{\"subject\":\"s\",\"from\":{\"email\":\"a@example.com\"},\"to\":[{\"email\":\"b@example.org\"}],"
                        + "\"attachment\":[{\"filename\":\"a.txt\",\"value\":\"eA==\"}]}");
        assertThat(api.stub().check(slip.request()).hasErrors()).isTrue();
        SimpleRequestHolder missing = new SimpleRequestHolder("{\"from\":{\"email\":\"a@example.com\"}}");
        assertThat(api.stub().check(missing.request()).hasErrors()).isTrue();
    }

    /** A request as the transport would send it, for checking the checker. */
    private record SimpleRequestHolder(String body) {
        com.atlassian.oai.validator.model.Request request() {
            return com.atlassian.oai.validator.model.SimpleRequest.Builder.post(PATH)
                    .withHeader("Authorization", "Bearer x")
                    .withContentType("application/json")
                    .withBody(body)
                    .build();
        }
    }

    @Test
    void theStandardRestClientKeysWorkToo() {
        api.accept("tx-std");
        Map<String, String> config = api.config();
        config.remove("mailpath.api.url");
        config.put("mailtarget-api/mp-rest/url", api.stub().url());

        assertThat(api.transport(config).send(simple().build()).transmissionId())
                .isEqualTo("tx-std");
    }

    @Test
    void aRotatedKeyAppliesToTheNextRequest() {
        api.accept("tx-r");
        LiveConfigSource live = new LiveConfigSource(api.config());
        DirectTransport t = new ApiTransportProvider()
                .create(TransportConfig.of(
                        "api", new SmallRyeConfigBuilder().withSources(live).build()));
        api.track(t);

        t.send(simple().build());
        live.put("mailpath.api.key", ROTATED_KEY);
        t.send(simple().build());

        List<LoggedRequest> requests = api.server().findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(requests)
                .extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer " + KEY, "Bearer " + ROTATED_KEY);
    }

    @Test
    void plainHttpIsRefusedWithoutTheInsecureOptIn() {
        Map<String, String> config = api.config();
        config.remove("mailpath.api.insecure-allow-http");

        assertThatThrownBy(() -> Transports.create("api", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.api.url")
                .hasMessageContaining("mailpath.api.insecure-allow-http")
                .hasMessageNotContaining(KEY);
        config.remove("mailpath.api.url");
        config.put("mailtarget-api/mp-rest/url", "ftp://example.com");
        assertThatThrownBy(() -> Transports.create("api", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailtarget-api/mp-rest/url");
    }

    @Test
    void aMissingKeyFailsWhenTheTransportIsBuilt() {
        Map<String, String> config = api.config();
        config.remove("mailpath.api.key");

        assertThatThrownBy(() -> Transports.create("api", config))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessage("mailpath.api.key is required");
    }

    @Test
    void perRecipientDataSendsOneTransmissionEach() {
        for (String who : List.of("ann", "bob", "cy")) {
            api.server()
                    .stubFor(post(urlEqualTo(PATH))
                            .withRequestBody(matchingJsonPath("$.to[0].email", equalTo(who + "@example.org")))
                            .willReturn(okJson("{\"transmissionId\":\"tx-" + who + "\"}")));
        }
        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ann@example.org", "bob@example.org", "cy@example.org")
                .subject("Hi {{name}}")
                .template("promo")
                .substitution("shop", "Example")
                .recipientData("ann@example.org", Map.of("name", "Ann"))
                .recipientData("bob@example.org", Map.of("name", "Bob"))
                .recipientData("cy@example.org", Map.of("name", "Cy", "shop", "Other"))
                .build();

        SendReceipt receipt = api.transport().send(mail);

        assertThat(receipt.deliveries())
                .extracting(d -> d.recipients().get(0) + "=" + d.transmissionId())
                .containsExactly("ann@example.org=tx-ann", "bob@example.org=tx-bob", "cy@example.org=tx-cy");
        Map<String, JsonObject> byRecipient = new HashMap<>();
        for (LoggedRequest r : api.server().findAll(postRequestedFor(urlEqualTo(PATH)))) {
            JsonObject body = json(r.getBodyAsString());
            assertThat(body.getJsonArray("to")).hasSize(1);
            byRecipient.put(body.getJsonArray("to").getJsonObject(0).getString("email"), body);
        }
        assertThat(byRecipient).hasSize(3);
        assertThat(byRecipient
                        .get("ann@example.org")
                        .getJsonObject("substitutionData")
                        .toString())
                .isEqualTo("{\"shop\":\"Example\",\"name\":\"Ann\"}");
        assertThat(byRecipient
                        .get("cy@example.org")
                        .getJsonObject("substitutionData")
                        .getString("shop"))
                .isEqualTo("Other");
        assertThat(byRecipient.values())
                .allSatisfy(b -> assertThat(b.getJsonObject("metadata").getString("mailpath_id"))
                        .isEqualTo(mail.id()));
    }

    @Test
    void aRefusedRecipientOfAFanOutShowsInTheReceipt() {
        api.server().stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"transmissionId\":\"tx-ok\"}")));
        api.server()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.to[0].email", equalTo("bad@example.org")))
                        .willReturn(aResponse()
                                .withStatus(422)
                                .withBody("{\"error\":\"suppressed\",\"message\":\"Recipient is suppressed\"}")));
        Mail mail = Mail.builder()
                .from("shop@example.com")
                .to("ok@example.org", "bad@example.org")
                .subject("Hi")
                .text("Hi {{name}}")
                .recipientData("ok@example.org", Map.of("name", "Ok"))
                .recipientData("bad@example.org", Map.of("name", "Bad"))
                .build();

        SendReceipt receipt = api.transport().send(mail);

        assertThat(receipt.accepted()).containsExactly("ok@example.org");
        assertThat(receipt.rejected()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("bad@example.org");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.reason()).contains("suppressed");
        });
    }

    @Test
    void aNamedStreamsMessageAtTheMetadataLimitReachesTheApiWhole() {
        api.accept("tx-stream");
        Mail.Builder builder = simple();
        TransmissionComposerTest.metadataOfExactly(Mail.MAX_METADATA_BYTES).forEach(builder::metadata);
        Mail mail = builder.build().inStream("marketing");

        SendReceipt receipt = api.transport().send(mail);

        assertThat(receipt.transmissionId()).isEqualTo("tx-stream");
        // The stub checked the request against the spec (ApiFixture fails the test otherwise).
        JsonObject metadata = api.onlyRequest().getJsonObject("metadata");
        assertThat(metadata.getString(Mail.STREAM_METADATA_KEY)).isEqualTo("marketing");
        assertThat(metadata.getString(Mail.ID_METADATA_KEY)).isEqualTo(mail.id());
        assertThat(metadata.keySet())
                .containsAll(mail.metadata().keySet())
                .hasSize(mail.metadata().size() + 2);
    }

    @Test
    void anOversizedRequestIsRejectedBeforeTheCall() {
        // 16 MB of attachment is within the message's 20 MB, but becomes 21.3 MB in base64.
        Mail mail = simple().attach(Attachment.named("big.bin")
                        .type("application/octet-stream")
                        .bytes(new byte[16 * 1024 * 1024]))
                .build();

        MailException e = api.sendFailing(api.transport(), mail);

        assertThat(e).isInstanceOf(MailRejectedException.class).hasMessageContaining("base64");
        assertThat(api.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void aFileAttachmentIsStreamedIntoTheRequest(@TempDir Path dir) throws IOException {
        api.accept("tx-file");
        byte[] content = new byte[300_001];
        new java.util.Random(9).nextBytes(content);
        Path file = Files.write(dir.resolve("scan.pdf"), content);
        Mail mail = simple().attach(
                        Attachment.named("scan.pdf").type("application/pdf").file(file))
                .build();

        SendReceipt receipt = api.transport().send(mail);

        assertThat(receipt.transmissionId()).isEqualTo("tx-file");
        JsonObject attachment = api.onlyRequest().getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("filename")).isEqualTo("scan.pdf");
        assertThat(Base64.getDecoder().decode(attachment.getString("value"))).isEqualTo(content);
    }

    @Test
    void anAttachmentFileThatCannotBeReadIsRejectedNamingIt(@TempDir Path dir) throws IOException {
        api.accept("tx-never");
        Path file = Files.write(dir.resolve("q3-figures.xlsx"), new byte[] {1, 2, 3});
        Mail mail = simple().attach(Attachment.named("figures.xlsx")
                        .type("application/octet-stream")
                        .file(file))
                .build();
        Files.delete(file);

        MailException e = api.sendFailing(api.transport(), mail);

        assertThat(e).isInstanceOf(MailRejectedException.class).hasMessageContaining("'figures.xlsx'");
        assertThat(e.kind()).isEqualTo(io.mailpath.FailureKind.REJECTED);
        assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
        // The body was never complete: the stub saw no transmission at all (this engine writes the body before it
        // connects), and certainly not a complete one.
        assertThat(api.server().findAll(postRequestedFor(urlEqualTo(PATH)))).isEmpty();
    }

    @Test
    void registersThroughTheSpi() {
        assertThat(Transports.provider("api").capabilities()).contains(io.mailpath.spi.Capability.TEMPLATES);
        assertThat(api.transport().toString()).contains(api.stub().url()).doesNotContain(KEY);
    }
}
