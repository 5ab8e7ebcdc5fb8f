package io.mailpath.cluster.app;

import io.mailpath.Mail;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/**
 * The application's outbox as the test drives it: an enqueue inside a JTA transaction that commits or rolls back, an
 * entry as the relays left it, the dead entries, and how many {@code OutboxEntryDied} events this server saw.
 */
@Path("outbox")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {
    @Inject
    MailOutbox outbox;

    @Inject
    DeathCount deaths;

    @Resource
    UserTransaction transaction;

    @POST
    @Path("enqueue")
    public String enqueue(@FormParam("id") String id, @FormParam("outcome") String outcome) throws Exception {
        transaction.begin();
        try {
            outbox.enqueue(order(id));
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        if ("rollback".equals(outcome)) {
            transaction.rollback();
        } else {
            transaction.commit();
        }
        return Json.createObjectBuilder().add("id", id).build().toString();
    }

    /** The message every enqueue of the test sends: one recipient, its id given. */
    public static Mail order(String id) {
        return Mail.builder()
                .id(id)
                .from("shop@example.com")
                .to("ann@example.org")
                .subject("Your order " + id)
                .text("Thanks for your order.")
                .build();
    }

    @GET
    @Path("entry/{id}")
    public String entry(@PathParam("id") String id) {
        Optional<OutboxEntry> found = outbox.entry(id);
        JsonObjectBuilder json = Json.createObjectBuilder().add("present", found.isPresent());
        found.ifPresent(e -> json.add("state", e.state().name())
                .add("attempts", e.attempts())
                .add("possibleDuplicate", e.possibleDuplicate()));
        return json.build().toString();
    }

    @GET
    @Path("dead")
    public String dead() {
        JsonArrayBuilder ids = Json.createArrayBuilder();
        outbox.deadEntries(100).forEach(e -> ids.add(e.id()));
        return Json.createObjectBuilder()
                .add("dead", ids)
                .add("deathEvents", deaths.value())
                .build()
                .toString();
    }
}
