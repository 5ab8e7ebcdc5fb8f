package io.mailpath.demo;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What the page calls: send a message, choose how the stand-in API answers, see what each peer received. */
@Path("demo")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DemoResource {
    private static final int MAX_SHOWN = 4_000;

    @Inject
    MailTransport mail;

    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Inject
    StandIn standIn;

    @Inject
    DeliveryLog deliveries;

    @Inject
    @ConfigProperty(name = "mailpath.demo.from", defaultValue = "demo@example.com")
    String from;

    /** Sends the message the page composed (see {@link #compose}) and answers its receipt or its typed error. */
    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(JsonObject form) {
        try {
            return Response.ok(receipt(mail.send(compose(form, from)))).build();
        } catch (MailException e) {
            return failure(e);
        }
    }

    /**
     * Sends the composed message through a named stream: {@code transactional} (password resets: the API, then SMTP)
     * or {@code marketing} (newsletters: the API only), each on its own API key.
     */
    @POST
    @Path("streams/{stream}/send")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response sendInStream(@PathParam("stream") String stream, JsonObject form) {
        MailTransport transport =
                switch (stream) {
                    case "transactional" -> transactional;
                    case "marketing" -> marketing;
                    default -> null;
                };
        if (transport == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        try {
            return Response.ok(receipt(transport.send(compose(form, from)))).build();
        } catch (MailException e) {
            return failure(e);
        }
    }

    /**
     * The message the page composed: {@code to}, {@code subject}, {@code text}, {@code html}, or {@code templateId}
     * with {@code substitution} (an object) and the text/html as fallback body.
     */
    static Mail compose(JsonObject form, String from) {
        Mail.Builder b = Mail.builder()
                .from(from, "Mailpath demo")
                .to(text(form, "to"))
                .subject(text(form, "subject"))
                .text(text(form, "text"))
                .html(text(form, "html"))
                .metadata("source", "mailpath-demo");
        String template = text(form, "templateId");
        if (template != null) {
            b.template(template);
        }
        JsonObject data = form.getJsonObject("substitution");
        if (data != null) {
            data.forEach((k, v) -> b.substitution(k, v instanceof JsonString s ? s.getString() : v.toString()));
        }
        return b.build();
    }

    /** A typed error as the page shows it: 400 when the message is wrong, 502 when a peer failed. */
    static Response failure(MailException e) {
        return Response.status(e.kind() == io.mailpath.FailureKind.REJECTED ? 400 : 502)
                .entity(error(e))
                .build();
    }

    @PUT
    @Path("stand-in/mode/{mode}")
    public JsonObject mode(@PathParam("mode") StandIn.Mode mode) {
        standIn.mode(mode);
        return Json.createObjectBuilder().add("mode", mode.name()).build();
    }

    /** Revokes the marketing stream's key at the stand-in ({@code true}), or accepts it again ({@code false}). */
    @PUT
    @Path("stand-in/marketing-key-revoked/{revoked}")
    public JsonObject marketingKeyRevoked(@PathParam("revoked") boolean revoked) {
        standIn.marketingKeyRevoked(revoked);
        return Json.createObjectBuilder().add("marketingKeyRevoked", revoked).build();
    }

    /** What the stand-in API and the SMTP relay received, newest first. */
    @GET
    @Path("received")
    public JsonObject received() {
        JsonArrayBuilder api = Json.createArrayBuilder();
        int canaries = 0;
        for (StandIn.Request r : standIn.received()) {
            if (r.canary()) {
                canaries++;
                continue;
            }
            api.add(Json.createObjectBuilder()
                    .add("at", r.at().toString())
                    .add("mode", r.mode().name())
                    .add("status", r.status())
                    .add("authorization", r.authorization())
                    .add("body", shorten(pretty(r.body()))));
        }
        JsonArrayBuilder smtp = Json.createArrayBuilder();
        TestSmtpServer relay = EmbeddedRelay.server();
        if (relay != null) {
            List<TestSmtpServer.Received> all = relay.received;
            for (int i = all.size() - 1; i >= 0; i--) {
                TestSmtpServer.Received r = all.get(i);
                smtp.add(Json.createObjectBuilder()
                        .add("from", String.valueOf(r.from()))
                        .add("recipients", String.join(", ", r.recipients()))
                        .add("message", shorten(new String(r.raw(), StandardCharsets.UTF_8))));
            }
        }
        return Json.createObjectBuilder()
                .add("mode", standIn.mode().name())
                .add("marketingKeyRevoked", standIn.marketingKeyRevoked())
                .add("embeddedRelay", relay != null)
                .add("api", api)
                .add("apiCanaries", canaries)
                .add("smtp", smtp)
                .build();
    }

    /**
     * The delivery webhook events the demo's receiver got about one mail, in the order they arrived: what its
     * {@code @Observes DeliveryEvent} observer ({@link DeliveryLog}) kept.
     */
    @GET
    @Path("deliveries/{mailId}")
    public JsonObject deliveries(@PathParam("mailId") String mailId) {
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (DeliveryEvent e : deliveries.of(mailId)) {
            JsonObjectBuilder o =
                    Json.createObjectBuilder().add("type", e.type().name()).add("status", e.status());
            optional(o, "bounce", e.bounce() == null ? null : e.bounce().name());
            optional(o, "mailpathId", e.mailpathId());
            optional(o, "transmissionId", e.transmissionId());
            optional(o, "recipient", e.recipient());
            optional(o, "eventId", e.eventId());
            optional(o, "at", e.timestamp() == null ? null : e.timestamp().toString());
            optional(o, "reason", e.raw().getString("reason", null));
            events.add(o);
        }
        return Json.createObjectBuilder()
                .add("mailId", mailId)
                .add("events", events)
                .build();
    }

    @DELETE
    @Path("received")
    public Response clear() {
        standIn.clear();
        deliveries.clear();
        TestSmtpServer relay = EmbeddedRelay.server();
        if (relay != null) {
            relay.received.clear();
        }
        return Response.noContent().build();
    }

    static void optional(JsonObjectBuilder o, String name, String value) {
        if (value != null) {
            o.add(name, value);
        }
    }

    private static String text(JsonObject form, String name) {
        JsonValue v = form.get(name);
        if (v == null || v.getValueType() != JsonValue.ValueType.STRING) {
            return null;
        }
        String s = form.getString(name);
        return s.isBlank() ? null : s;
    }

    /** The request body indented, or as it came when it is not JSON. */
    private static String pretty(String body) {
        try {
            JsonValue value = Json.createReader(new StringReader(body)).readValue();
            StringWriter out = new StringWriter();
            Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                    .createWriter(out)
                    .write(value);
            return out.toString().strip();
        } catch (JsonException | IllegalStateException e) {
            return body;
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "\n... (" + s.length() + " characters)";
    }

    static JsonObject receipt(SendReceipt r) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("transport", r.transport())
                .add("stream", r.stream())
                .add("mailId", r.mailId())
                .add("failedOver", r.failedOver())
                .add("possibleDuplicate", r.possibleDuplicate())
                .add("attempts", attempts(r.attempts()));
        if (r.transmissionId() != null) {
            o.add("transmissionId", r.transmissionId());
        }
        if (r.messageId() != null) {
            o.add("messageId", r.messageId());
        }
        return o.build();
    }

    static JsonObject error(MailException e) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("error", e.getClass().getSimpleName())
                .add("kind", e.kind().name())
                .add("message", String.valueOf(e.getMessage()));
        if (e.status() != MailException.NO_STATUS) {
            o.add("status", e.status());
        }
        if (!e.attempts().isEmpty()) {
            o.add("attempts", attempts(e.attempts()));
        }
        return o.build();
    }

    private static JsonArrayBuilder attempts(List<Attempt> attempts) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Attempt at : attempts) {
            JsonObjectBuilder o = Json.createObjectBuilder()
                    .add("transport", at.transport())
                    .add("outcome", at.isSuccess() ? "DELIVERED" : at.failure().name())
                    .add("ms", at.duration().toMillis());
            if (at.status() != MailException.NO_STATUS) {
                o.add("status", at.status());
            }
            if (at.detail() != null) {
                o.add("detail", at.detail());
            }
            a.add(o);
        }
        return a;
    }
}
