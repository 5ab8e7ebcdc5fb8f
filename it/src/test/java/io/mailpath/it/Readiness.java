package io.mailpath.it;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the server's {@code /health/ready} answered, read over HTTP as an orchestrator does, and Mailpath's check
 * within it. MicroProfile Health answers 200 when UP and 503 when DOWN.
 */
record Readiness(int httpStatus, String body, String status, JsonObject mailpath) {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Reads the readiness endpoint of the server that serves {@code base}: on WildFly its management interface,
     * elsewhere the HTTP port the application is served on.
     */
    static Readiness read(URL base) throws Exception {
        int port = "wildfly".equals(System.getProperty("arquillian.launch"))
                ? Integer.parseInt(System.getProperty("wildfly.management.port"))
                : base.getPort();
        URI uri = new URI("http", null, "127.0.0.1", port, "/health/ready", null, null);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject json = Json.createReader(new StringReader(response.body())).readObject();
        JsonObject mailpath = json.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("mailpath"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mailpath check in " + response.body()));
        return new Readiness(response.statusCode(), response.body(), json.getString("status"), mailpath);
    }

    JsonObject data() {
        return mailpath.getJsonObject("data");
    }

    /** A figure of the data: a JSON number, or a string on Payara, which writes every data value as text. */
    long number(String key) {
        JsonValue value = present(key);
        return value instanceof JsonNumber n ? n.longValue() : Long.parseLong(((JsonString) value).getString());
    }

    /** A flag of the data: a JSON boolean, or a string on Payara. */
    boolean flag(String key) {
        JsonValue value = present(key);
        return value instanceof JsonString s ? Boolean.parseBoolean(s.getString()) : value == JsonValue.TRUE;
    }

    /** A text of the data, or null when the check left the key out (a time or id not yet known). */
    String text(String key) {
        return data().containsKey(key) ? data().getString(key) : null;
    }

    private JsonValue present(String key) {
        JsonValue value = data().get(key);
        if (value == null) {
            throw new AssertionError("no " + key + " in " + body);
        }
        return value;
    }
}
