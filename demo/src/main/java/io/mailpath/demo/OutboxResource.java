package io.mailpath.demo;

import static io.mailpath.demo.DemoResource.optional;

import io.mailpath.MailException;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The page's Outbox panel: enqueues the composed message through {@code @Inject MailOutbox} inside a JTA transaction
 * that it then commits or rolls back, and lists the outbox's rows as the relay left them.
 */
@Path("demo/outbox")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {
    /** How many rows the panel shows, newest first. */
    static final int SHOWN_ENTRIES = 20;

    /** What the page asks the transaction to do after the enqueue. */
    public enum Outcome {
        COMMIT,
        ROLLBACK
    }

    @Inject
    MailOutbox outbox;

    @Resource
    UserTransaction transaction;

    @Inject
    @ConfigProperty(name = "mailpath.demo.from", defaultValue = "demo@example.com")
    String from;

    /**
     * Begins a transaction, enqueues the message the page composed in it, then commits or rolls back as asked: the
     * relay sends a committed message right after the commit, and a rolled-back one never (its row is gone with the
     * transaction). Answers the mail id and what became of the transaction.
     */
    @POST
    @Path("enqueue/{outcome}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enqueue(@PathParam("outcome") Outcome outcome, JsonObject form) throws Exception {
        transaction.begin();
        String id;
        try {
            id = outbox.enqueue(DemoResource.compose(form, from));
        } catch (MailException e) {
            transaction.rollback();
            return DemoResource.failure(e);
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        if (outcome == Outcome.COMMIT) {
            transaction.commit();
        } else {
            transaction.rollback();
        }
        return Response.ok(Json.createObjectBuilder()
                        .add("mailId", id)
                        .add("outcome", outcome == Outcome.COMMIT ? "COMMITTED" : "ROLLED_BACK")
                        .build())
                .build();
    }

    /** The outbox's most recently enqueued rows, in every state, newest first. */
    @GET
    @Path("entries")
    public JsonObject entries() {
        JsonArrayBuilder rows = Json.createArrayBuilder();
        for (OutboxEntry e : outbox.recentEntries(SHOWN_ENTRIES)) {
            JsonObjectBuilder row = Json.createObjectBuilder()
                    .add("id", e.id())
                    .add("state", e.state().name())
                    .add("attempts", e.attempts())
                    .add("possibleDuplicate", e.possibleDuplicate());
            optional(row, "enqueuedAt", text(e.enqueuedAt()));
            optional(row, "dueAt", text(e.dueAt()));
            optional(row, "finishedAt", text(e.finishedAt()));
            optional(row, "transport", e.transport());
            optional(row, "transmissionId", e.transmissionId());
            optional(row, "messageId", e.messageId());
            optional(
                    row,
                    "lastFailure",
                    e.lastFailure() == null ? null : e.lastFailure().name());
            optional(row, "lastError", e.lastError());
            rows.add(row);
        }
        return Json.createObjectBuilder()
                .add("shown", SHOWN_ENTRIES)
                .add("entries", rows)
                .build();
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
