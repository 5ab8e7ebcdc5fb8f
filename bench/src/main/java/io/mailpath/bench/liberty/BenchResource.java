package io.mailpath.bench.liberty;

import io.mailpath.MailTransport;
import io.mailpath.TransportName;
import io.mailpath.bench.JvmRow;
import io.mailpath.bench.Measurement;
import io.mailpath.bench.Messages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/**
 * Runs one row inside the server, on threads of its own, through the server's Rest Client, Jakarta Mail and Fault
 * Tolerance: {@code GET /run?path=api|smtp|routed&threads=T&millis=W}. Answers the measurement as JSON, every send's
 * latency included, for the driver outside ({@code LibertyRows}) to aggregate like the other rows.
 */
@Path("/run")
@ApplicationScoped
public class BenchResource {
    @Inject
    MailTransport routed;

    @Inject
    @TransportName("api")
    MailTransport api;

    @Inject
    @TransportName("smtp")
    MailTransport smtp;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject run(
            @QueryParam("path") String path, @QueryParam("threads") int threads, @QueryParam("millis") long millis)
            throws Exception {
        MailTransport transport =
                switch (path) {
                    case "api" -> api;
                    case "smtp" -> smtp;
                    case "routed" -> routed;
                    default -> throw new IllegalArgumentException("unknown path " + path);
                };
        Measurement m = new JvmRow(path, path, threads, null, () -> () -> transport.send(Messages.mail()))
                .run(Duration.ofMillis(millis));
        JsonArrayBuilder latencies = Json.createArrayBuilder();
        for (long l : m.latenciesNanos()) {
            latencies.add(l);
        }
        return Json.createObjectBuilder()
                .add("messages", m.messages())
                .add("errors", m.errors())
                .add("seconds", m.seconds())
                .add("cpuNanos", m.cpuNanos())
                .add("firstError", m.firstError() == null ? "" : m.firstError())
                .add("latenciesNanos", latencies)
                .build();
    }
}
