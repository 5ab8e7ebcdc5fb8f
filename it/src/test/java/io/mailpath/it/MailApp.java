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

    Answer send(Form form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("mail/send"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.encoded()))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 422) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return new Answer(
                response.statusCode(),
                Json.createReader(new StringReader(response.body())).readObject());
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
