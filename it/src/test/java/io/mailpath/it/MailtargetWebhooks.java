package io.mailpath.it;

import jakarta.json.Json;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Posts webhook batches in Mailtarget's documented shape to the receiver of a deployment that holds the webhooks jar
 * ({@code mailpath/webhooks}), over real HTTP/1.1, as Mailtarget does.
 */
final class MailtargetWebhooks {
    /** HTTP/1.1, as webhook senders post; no upgrade to HTTP/2. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final URI receiver;
    private final String user;
    private final String password;

    /** The receiver of the deployment at {@code base}, and the credentials its keys configure. */
    MailtargetWebhooks(URL base, String user, String password) {
        // Every server here listens on loopback only; some report another interface's address.
        URI u = URI.create(base.toString());
        this.receiver = URI.create("http://127.0.0.1:" + u.getPort() + u.getPath() + "mailpath/webhooks");
        this.user = user;
        this.password = password;
    }

    /** One event; {@code recipientMeta} is the message's metadata as a JSON string, as Mailtarget sends it. */
    static String event(String eventId, String status, String recipient, String metadataJson) {
        return Json.createObjectBuilder()
                .add("status", status)
                .add("eventId", eventId)
                .add("messageId", "msg-" + eventId)
                .add("transmissionId", "tx-webhooks")
                .add("subject", "Your receipt")
                .add("sender", "billing@example.com")
                .add("sendingIp", "192.0.2.10")
                .add("recipient", recipient)
                .add("recipientMeta", metadataJson)
                .add("mailboxProvider", "Gmail")
                .add("recipientDomain", "example.org")
                .add("recipientType", "to")
                .add("timestamp", 1763803812345L)
                .build()
                .toString();
    }

    static String batch(String batchId, int retryCount, String... events) {
        return "{\"batchId\":\"" + batchId + "\",\"retryCount\":" + retryCount + ",\"events\":["
                + String.join(",", events) + "]}";
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request to the receiver with a JSON body type and no credentials yet. */
    HttpRequest.Builder request() {
        return HttpRequest.newBuilder(receiver)
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json");
    }

    /** Posts a batch with the right credentials. */
    HttpResponse<String> post(String body) throws Exception {
        return send(request()
                .header("Authorization", basic(user, password))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
