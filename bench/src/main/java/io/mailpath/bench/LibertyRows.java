package io.mailpath.bench;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows inside Open Liberty: each run asks the bench WAR ({@code bench.liberty}, its base URL) to send for the
 * window on its own threads, and counts at the peers (nginx's log, smtp-sink's counter) what arrived. First with the
 * API answering: direct API, routed, direct SMTP; then with the API answering 503 ({@code bench.api.down}, a file
 * nginx looks for) and the circuit open: routed (to SMTP) against SMTP alone.
 */
final class LibertyRows {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private LibertyRows() {}

    static void run() throws Exception {
        String base = Bench.property("bench.liberty");
        PeerCounter api = PeerCounter.accessLog(Path.of(Bench.property("bench.nginx.log")));
        PeerCounter smtp = PeerCounter.smtpSink(Path.of(Bench.property("bench.sink.counter")));
        PeerCounter either = () -> api.count() + smtp.count();
        Path down = Path.of(Bench.property("bench.api.down"));
        Files.deleteIfExists(down);
        int[] apiThreads = Bench.threadCounts("bench.http.threads", "1,16");
        int[] smtpThreads = Bench.threadCounts("bench.smtp.threads", "1,8");

        List<Row> healthy = new ArrayList<>();
        for (int threads : apiThreads) {
            healthy.add(row(base, "liberty.api." + threads, "in Liberty: Mailpath API, direct", "api", threads, api));
            healthy.add(row(
                    base,
                    "liberty.routed." + threads,
                    "in Liberty: routed `MailTransport` (Fault Tolerance), API answering",
                    "routed",
                    threads,
                    either));
        }
        for (int threads : smtpThreads) {
            healthy.add(
                    row(base, "liberty.smtp." + threads, "in Liberty: Mailpath SMTP, direct", "smtp", threads, smtp));
        }
        Runner.runAndRecord(healthy);

        Files.createFile(down);
        // Opens the circuit: every send fails over after its retries until the breaker has seen enough failures.
        row(base, "open", "open", "routed", 1, null).run(Duration.ofSeconds(2));
        List<Row> open = new ArrayList<>();
        for (int threads : smtpThreads) {
            open.add(row(
                    base,
                    "liberty.routed-open." + threads,
                    "in Liberty: routed, API answering 503, circuit open (→ SMTP)",
                    "routed",
                    threads,
                    either));
            open.add(row(
                    base,
                    "liberty.secondary." + threads,
                    "in Liberty: Mailpath SMTP alone, beside the row above",
                    "smtp",
                    threads,
                    smtp));
        }
        try {
            Runner.runAndRecord(open);
        } finally {
            Files.deleteIfExists(down);
        }
    }

    private static Row row(String base, String id, String label, String path, int threads, PeerCounter peer) {
        return new NamedRow(id, label, threads) {
            @Override
            public Measurement run(Duration window) throws Exception {
                long before = peer == null ? -1 : peer.count();
                HttpRequest request = HttpRequest.newBuilder(URI.create(
                                base + "/run?path=" + path + "&threads=" + threads + "&millis=" + window.toMillis()))
                        .timeout(window.plusSeconds(60))
                        .GET()
                        .build();
                HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("the bench WAR answered " + response.statusCode() + ": " + response.body());
                }
                JsonObject o;
                try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                    o = reader.readObject();
                }
                long messages = o.getJsonNumber("messages").longValue();
                long[] latencies = o.getJsonArray("latenciesNanos").getValuesAs(JsonNumber.class).stream()
                        .mapToLong(JsonNumber::longValue)
                        .toArray();
                long received = peer == null ? -1 : peer.settle(before + messages) - before;
                String error = o.getString("firstError");
                return new Measurement(
                        messages,
                        o.getJsonNumber("errors").longValue(),
                        o.getJsonNumber("seconds").doubleValue(),
                        latencies,
                        Double.NaN,
                        Double.NaN,
                        o.getJsonNumber("cpuNanos").longValue(),
                        received,
                        error.isEmpty() ? null : error);
            }
        };
    }
}
