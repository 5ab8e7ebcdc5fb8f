package io.mailpath.demo;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A local stand-in for {@code POST /v1/layang/transmissions}: checks the request as Mailtarget's spec requires
 * (Bearer key, subject, from, to) and answers as the chosen {@link StandIn.Mode} says, or 401 to a revoked key. A transmission it accepts is
 * then reported to the demo's webhook receiver as Mailtarget would ({@link StandInWebhooks}).
 */
@Path("stand-in/v1/layang/transmissions")
public class StandInResource {
    /** Longer than the demo's API read timeout, so that the API transport gives up: an uncertain outcome. */
    static final long TIMEOUT_DELAY_MS = 4_000;

    @Inject
    StandIn standIn;

    @Inject
    StandInWebhooks webhooks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response transmit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        StandIn.Mode mode = standIn.mode();
        JsonObject transmission = readObject(body);
        Response response = standIn.revoked(authorization)
                ? error(401, "unauthorized", "The API key has been revoked")
                : answer(mode, authorization, transmission);
        String key = mask(authorization)
                + standIn.keyOwner(authorization).map(s -> " (" + s + " key)").orElse("");
        standIn.record(
                new StandIn.Request(Instant.now(), mode, response.getStatus(), key, body, isCanary(transmission)));
        if (mode == StandIn.Mode.OK && response.getStatus() == 200) {
            webhooks.accepted(((JsonObject) response.getEntity()).getString("transmissionId"), transmission);
        }
        return response;
    }

    private static Response answer(StandIn.Mode mode, String authorization, JsonObject transmission) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return error(401, "unauthorized", "missing Bearer API key");
        }
        String missing = missingField(transmission);
        if (missing != null) {
            return error(400, "bad_request", missing);
        }
        return switch (mode) {
            case OK -> Response.ok(Json.createObjectBuilder()
                            .add("transmissionId", UUID.randomUUID().toString())
                            .add("message", "Transmission received")
                            .build())
                    .build();
            case UNAVAILABLE_503 -> error(503, "service_unavailable", "Sending engine is under maintenance");
            case RATE_LIMITED_429 -> Response.fromResponse(error(429, "too_many_requests", "Slow down"))
                    .header("Retry-After", "1")
                    .build();
            case TIMEOUT -> {
                try {
                    Thread.sleep(TIMEOUT_DELAY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield Response.ok(Json.createObjectBuilder()
                                .add("transmissionId", UUID.randomUUID().toString())
                                .build())
                        .build();
            }
            case BAD_REQUEST_400 -> error(400, "bad_request", "The sender domain is not verified");
        };
    }

    /** The body as a JSON object, or {@code null} when it is not one. */
    private static JsonObject readObject(String body) {
        try {
            return Json.createReader(new StringReader(body)).readObject();
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }

    /** Whether Mailpath's canary sent it: its metadata is marked {@code mailpath_canary}. */
    private static boolean isCanary(JsonObject transmission) {
        return transmission != null
                && transmission.get("metadata") instanceof JsonObject metadata
                && metadata.containsKey("mailpath_canary");
    }

    private static String missingField(JsonObject transmission) {
        if (transmission == null) {
            return "the body is not a JSON object";
        }
        for (String field : List.of("subject", "from", "to")) {
            if (!transmission.containsKey(field)) {
                return "'" + field + "' is required";
            }
        }
        return null;
    }

    private static Response error(int status, String error, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder()
                        .add("error", error)
                        .add("message", message)
                        .build())
                .build();
    }

    /** Shows that a key was sent, never the key. */
    private static String mask(String authorization) {
        return authorization == null ? "(none)" : authorization.startsWith("Bearer ") ? "Bearer ****" : "****";
    }
}
