package io.mailpath.it.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A test-only endpoint: the send and canary events the application's observer ({@link SendEventLog}) got for one mail
 * id.
 */
@Path("mail/events")
@RequestScoped
public class SendEventsResource {
    @Inject
    SendEventLog events;

    @GET
    @Path("{mailId}")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject events(@PathParam("mailId") String mailId) {
        return Json.createObjectBuilder()
                .add("sync", Json.createArrayBuilder(events.observed(mailId)))
                .add("async", Json.createArrayBuilder(events.observedAsync(mailId)))
                .build();
    }
}
