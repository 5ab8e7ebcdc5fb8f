package io.mailpath.it.webhooks;

import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.List;

/** Shows the test what the application's observers got ({@code GET webhook-events}) and forgets it ({@code DELETE}). */
@Path("webhook-events")
@RequestScoped
public class DeliveryEventsResource {
    @Inject
    DeliveryEventLog log;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject events() {
        return Json.createObjectBuilder()
                .add("observed", json(log.observed()))
                .add("observedAsync", json(log.observedAsync()))
                .build();
    }

    @DELETE
    public void clear() {
        log.clear();
    }

    private static JsonArrayBuilder json(List<DeliveryEvent> events) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (DeliveryEvent e : events) {
            JsonObjectBuilder o = Json.createObjectBuilder()
                    .add("type", e.type().name())
                    .add("status", e.status())
                    .add("retryCount", e.retryCount())
                    .add("metadata", Json.createObjectBuilder(new HashMap<String, Object>(e.metadata())))
                    .add("raw", e.raw());
            add(o, "bounce", e.bounce() == null ? null : e.bounce().name());
            add(o, "eventId", e.eventId());
            add(o, "mailpathId", e.mailpathId());
            add(o, "transmissionId", e.transmissionId());
            add(o, "messageId", e.messageId());
            add(o, "recipient", e.recipient());
            add(o, "batchId", e.batchId());
            add(o, "timestamp", e.timestamp() == null ? null : e.timestamp().toString());
            array.add(o);
        }
        return array;
    }

    private static void add(JsonObjectBuilder o, String name, String value) {
        if (value != null) {
            o.add(name, value);
        }
    }
}
