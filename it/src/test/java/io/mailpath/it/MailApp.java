package io.mailpath.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Drives the deployed test endpoint over HTTP, as a client would. */
final class MailApp {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The endpoint's answer: 200 with a receipt, or 422 with the error. */
    record Answer(int status, JsonObject json) {}

    private final URL base;

    MailApp(URL base) {
        // Every server here listens on loopback only; some report their host name or another interface's address.
        try {
            URI u = base.toURI();
            this.base = new URI(u.getScheme(), null, "127.0.0.1", u.getPort(), u.getPath(), null, null).toURL();
        } catch (Exception e) {
            throw new IllegalArgumentException(base.toString(), e);
        }
    }

    /** A form for a simple message; add fields with {@link Form#with}. */
    static Form message(String to) {
        return new Form()
                .with("from", "sender@example.com")
                .with("to", to)
                .with("subject", "Integration test")
                .with("text", "Hello from Liberty");
    }

    /** Sends through the test endpoint ({@code mail/send}). */
    Answer send(Form form) throws Exception {
        return post("mail/send", form);
    }

    /** Posts a form to one of the deployment's endpoints; it answers 200 or 422 with JSON. */
    Answer post(String path, Form form) throws Exception {
        HttpResponse<String> response = call(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.encoded())));
        if (response.statusCode() != 200 && response.statusCode() != 422) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return new Answer(response.statusCode(), json(response.body()));
    }

    /** Reads JSON from one of the deployment's endpoints. */
    JsonObject get(String path) throws Exception {
        HttpResponse<String> response =
                call(HttpRequest.newBuilder(resolve(path)).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** Deletes through one of the deployment's endpoints. */
    void delete(String path) throws Exception {
        HttpResponse<String> response =
                call(HttpRequest.newBuilder(resolve(path)).DELETE());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    private URI resolve(String path) {
        return URI.create(base.toString()).resolve(path);
    }

    private static HttpResponse<String> call(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** Form fields, in order; a name may repeat. */
    static final class Form {
        private final List<String[]> fields = new ArrayList<>();

        Form with(String name, String value) {
            fields.add(new String[] {name, value});
            return this;
        }

        Form without(String name) {
            fields.removeIf(f -> f[0].equals(name));
            return this;
        }

        String encoded() {
            StringBuilder s = new StringBuilder();
            for (String[] f : fields) {
                if (s.length() > 0) {
                    s.append('&');
                }
                s.append(URLEncoder.encode(f[0], StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(f[1], StandardCharsets.UTF_8));
            }
            return s.toString();
        }
    }
}
