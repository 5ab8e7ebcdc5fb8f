package io.mailpath.it.mailbox;

import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.it.app.MailJson;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * A test-only endpoint for a deployment that holds the test kit's jar: sends through the routed
 * {@code MailTransport}, scripts an in-memory transport's failures and lists what its {@link Mailbox} recorded. Only
 * that deployment has this package, since it needs the kit's classes.
 */
@Path("mailbox")
@RequestScoped
public class MailboxResource {
    @Inject
    MailTransport mail;

    /** Sends a message built from the form (see {@link MailJson#mail}); 200 with the receipt or 422 with the error. */
    @POST
    @Path("send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(MultivaluedMap<String, String> form) {
        try {
            SendReceipt r = mail.send(MailJson.mail(form));
            return Response.ok(MailJson.receipt(r).build()).build();
        } catch (MailException e) {
            return Response.status(422).entity(MailJson.error(e).build()).build();
        }
    }

    /**
     * Fails the transport's next {@code times} deliveries with {@code kind}: {@code unavailable},
     * {@code rejected} (with {@code status}), {@code authentication}, {@code rate-limited} (with
     * {@code retryAfterMs}) or {@code uncertain-after-accept}.
     */
    @POST
    @Path("{transport}/fail")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject fail(
            @PathParam("transport") String transport,
            @FormParam("times") int times,
            @FormParam("kind") String kind,
            @FormParam("status") int status,
            @FormParam("retryAfterMs") Long retryAfterMs) {
        return recorded(Mailbox.of(transport).failNext(times, failure(kind, status, retryAfterMs)));
    }

    /** Fails {@code fraction} of the transport's later deliveries at random with {@code kind}; calls add up. */
    @POST
    @Path("{transport}/fail-randomly")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject failRandomly(
            @PathParam("transport") String transport,
            @FormParam("fraction") double fraction,
            @FormParam("kind") String kind,
            @FormParam("seed") long seed) {
        return recorded(Mailbox.of(transport).failRandomly(fraction, failure(kind, 0, null), seed));
    }

    private static SimulatedFailure failure(String kind, int status, Long retryAfterMs) {
        return switch (String.valueOf(kind)) {
            case "unavailable" -> SimulatedFailure.unavailable();
            case "rejected" -> SimulatedFailure.rejected(status);
            case "authentication" -> SimulatedFailure.authentication();
            case "rate-limited" -> SimulatedFailure.rateLimited(
                    retryAfterMs == null ? null : Duration.ofMillis(retryAfterMs));
            case "uncertain-after-accept" -> SimulatedFailure.uncertainAfterAccept();
            default -> throw new BadRequestException("unknown failure kind: " + kind);
        };
    }

    /** What the transport recorded: how many deliveries it was asked for, and each one it accepted. */
    @GET
    @Path("{transport}")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject recorded(@PathParam("transport") String transport) {
        return recorded(Mailbox.of(transport));
    }

    /** Empties every mailbox and forgets every scripted failure. */
    @DELETE
    public void clear() {
        Mailbox.clearAll();
    }

    private static JsonObject recorded(Mailbox mailbox) {
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (SentMail s : mailbox.messages()) {
            messages.add(Json.createObjectBuilder()
                    .add("mailId", s.mailId())
                    .add("subject", String.valueOf(s.subject()))
                    .add("recipients", Json.createArrayBuilder(s.recipients()))
                    .add("transmissionId", s.transmissionId()));
        }
        return Json.createObjectBuilder()
                .add("transport", mailbox.transport())
                .add("deliveriesTried", mailbox.deliveriesTried())
                .add("messages", messages)
                .build();
    }
}
