package io.mailpath.health.canary;

import io.mailpath.webhooks.DeliveryEvent;
import jakarta.json.Json;
import java.time.Instant;
import java.util.Map;

/** Delivery events as the webhook receiver fires them for a message the API transport sent. */
final class Deliveries {
    private Deliveries() {}

    static DeliveryEvent of(DeliveryEvent.Type type, String mailId) {
        return new DeliveryEvent(
                type,
                type == DeliveryEvent.Type.BOUNCED ? DeliveryEvent.Bounce.HARD : null,
                type == DeliveryEvent.Type.DELIVERED ? "Delivery" : "Injection",
                "event-" + type + "-" + mailId,
                mailId,
                "transmission-1",
                "message-1",
                "seed@example.com",
                Map.of("mailpath_id", mailId),
                Instant.parse("2026-11-22T12:01:00Z"),
                "batch-1",
                0,
                Json.createObjectBuilder().add("status", "Delivery").build());
    }
}
