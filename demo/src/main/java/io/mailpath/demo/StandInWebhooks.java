package io.mailpath.demo;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What Mailtarget does after it accepted a transmission, played by the stand-in: it posts webhook batches in
 * Mailtarget's shape to the demo's own receiver, over HTTP with Basic authentication, on the container's scheduled
 * executor. First a batch of {@code Injection} events, then one of {@code Delivery} events, one per recipient; a
 * recipient whose local part is {@value #BOUNCE_LOCAL_PART} gets a {@code Bounce} instead of a delivery.
 */
@ApplicationScoped
public class StandInWebhooks {
    private static final Logger LOG = Logger.getLogger(StandInWebhooks.class.getName());

    /** The local part of the addresses the stand-in reports as bounced, on any domain. */
    static final String BOUNCE_LOCAL_PART = "bounce";

    /** Pauses before each batch: long enough that the page shows the events arriving one after the other. */
    private static final long BEFORE_INJECTION_MS = 600;

    private static final long BEFORE_DELIVERY_MS = 1_500;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Resource
    ManagedScheduledExecutorService executor;

    @Inject
    @ConfigProperty(name = "mailpath.demo.stand-in.webhook-url")
    String webhookUrl;

    /** The stand-in signs in as Mailtarget would once its dashboard has the receiver's credentials. */
    @Inject
    @ConfigProperty(name = "mailpath.webhooks.username")
    String username;

    @Inject
    @ConfigProperty(name = "mailpath.webhooks.password")
    String password;

    private HttpClient http;

    /** Its own asynchronous work runs on the container's executor too. */
    @PostConstruct
    void createClient() {
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** One recipient of the transmission, as the webhook events describe it. */
    private record Recipient(String email, String type) {}

    /** Schedules the webhook batches about a transmission the stand-in accepted; returns at once. */
    void accepted(String transmissionId, JsonObject transmission) {
        List<Recipient> recipients = recipients(transmission);
        if (recipients.isEmpty()) {
            return;
        }
        String messageId = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Function<Recipient, JsonObject> injection = r ->
                event("Injection", r, transmissionId, messageId, transmission).build();
        Function<Recipient, JsonObject> outcome = r -> isBounce(r.email())
                ? event("Bounce", r, transmissionId, messageId, transmission)
                        .add("reason", "550 5.1.1 <" + r.email() + ">: Recipient address rejected: User unknown")
                        .build()
                : event("Delivery", r, transmissionId, messageId, transmission).build();
        // The second batch is scheduled once the first was posted, so that they arrive in Mailtarget's order.
        executor.schedule(
                () -> {
                    post(batch(recipients, injection));
                    executor.schedule(
                            () -> post(batch(recipients, outcome)), BEFORE_DELIVERY_MS, TimeUnit.MILLISECONDS);
                },
                BEFORE_INJECTION_MS,
                TimeUnit.MILLISECONDS);
    }

    private static boolean isBounce(String email) {
        int at = email.lastIndexOf('@');
        return at > 0 && email.substring(0, at).toLowerCase(Locale.ROOT).equals(BOUNCE_LOCAL_PART);
    }

    private static List<Recipient> recipients(JsonObject transmission) {
        List<Recipient> recipients = new ArrayList<>();
        for (String type : List.of("to", "cc", "bcc")) {
            JsonValue list = transmission.get(type);
            if (list != null && list.getValueType() == JsonValue.ValueType.ARRAY) {
                for (JsonValue address : list.asJsonArray()) {
                    if (address instanceof JsonObject a && a.containsKey("email")) {
                        recipients.add(new Recipient(a.getString("email"), type));
                    }
                }
            }
        }
        return recipients;
    }

    private static JsonObject batch(List<Recipient> recipients, Function<Recipient, JsonObject> event) {
        JsonArrayBuilder events = Json.createArrayBuilder();
        recipients.forEach(r -> events.add(event.apply(r)));
        return Json.createObjectBuilder()
                .add("batchId", UUID.randomUUID().toString())
                .add("retryCount", 0)
                .add("events", events)
                .build();
    }

    /** One event in the shape Mailtarget documents: {@code recipientMeta} is the message metadata as a JSON string. */
    private static JsonObjectBuilder event(
            String status, Recipient recipient, String transmissionId, String messageId, JsonObject transmission) {
        JsonValue metadata = transmission.getOrDefault("metadata", JsonValue.EMPTY_JSON_OBJECT);
        JsonValue from = transmission.get("from");
        String sender = from instanceof JsonObject f && f.containsKey("email") ? f.getString("email") : "";
        String domain = recipient.email().substring(recipient.email().lastIndexOf('@') + 1);
        return Json.createObjectBuilder()
                .add("status", status)
                .add("eventId", UUID.randomUUID().toString())
                .add("messageId", messageId)
                .add("transmissionId", transmissionId)
                .add("subject", transmission.getString("subject", ""))
                .add("sender", sender)
                .add("sendingIp", "192.0.2.25")
                .add("recipient", recipient.email())
                .add("recipientMeta", metadata.toString())
                .add("mailboxProvider", "Stand-in")
                .add("recipientDomain", domain)
                .add("recipientType", recipient.type())
                .add("timestamp", System.currentTimeMillis());
    }

    private void post(JsonObject batch) {
        String credentials =
                Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warning("Stand-in API: the webhook receiver answered " + response.statusCode() + " to batch "
                        + batch.getString("batchId"));
            }
        } catch (IOException e) {
            LOG.warning("Stand-in API: could not post webhook batch " + batch.getString("batchId") + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
