package io.mailpath.it.outbox;

import io.mailpath.it.app.MailJson;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;

/**
 * A test-only endpoint inside the outbox deployment: enqueues a message inside a JTA transaction that it then commits
 * or rolls back ({@code outcome=rollback}), and shows an outbox entry as the relay left it.
 */
@Path("outbox")
@RequestScoped
public class OutboxResource {
    @Inject
    MailOutbox outbox;

    @Resource
    UserTransaction transaction;

    @POST
    @Path("enqueue")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public String enqueue(MultivaluedMap<String, String> form) throws Exception {
        transaction.begin();
        String id;
        try {
            id = outbox.enqueue(MailJson.mail(form));
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        if ("rollback".equals(form.getFirst("outcome"))) {
            transaction.rollback();
        } else {
            transaction.commit();
        }
        return Json.createObjectBuilder().add("id", id).build().toString();
    }

    @GET
    @Path("entry/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public String entry(@PathParam("id") String id) {
        Optional<OutboxEntry> found = outbox.entry(id);
        JsonObjectBuilder json = Json.createObjectBuilder().add("present", found.isPresent());
        found.ifPresent(e -> {
            json.add("state", e.state().name())
                    .add("attempts", e.attempts())
                    .add("possibleDuplicate", e.possibleDuplicate());
            if (e.transport() != null) {
                json.add("transport", e.transport());
            }
        });
        return json.build().toString();
    }
}
