package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mailpath's telemetry (every deployment holds {@code mailpath-telemetry}): on Open Liberty, with {@code mpTelemetry-2.0}
 * and this application's OpenTelemetry SDK exporting through the logging exporter into {@code messages.log}, the
 * metrics after a delivery, a failover and a rejection, and the span of a send. On WildFly and Payara, whose
 * OpenTelemetry the suite leaves as it is, the same application deploys and sends. Named to run before
 * {@code SecretsSweepIT}, which then reads what the exporters wrote too.
 */
@ExtendWith(ArquillianExtension.class)
class OpenTelemetryIT {
    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    static final boolean LIBERTY = "liberty".equals(System.getProperty("arquillian.launch", "liberty"));
    /** Marks this application's exports among the server's log lines. */
    static final String SERVICE = "mailpath-it-telemetry";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new java.util.LinkedHashMap<>(PEERS.config());
        if (LIBERTY) {
            // This application's own SDK (MicroProfile Telemetry is off by default), exporting every half second.
            config.put("otel.sdk.disabled", "false");
            config.put("otel.service.name", SERVICE);
            config.put("otel.metrics.exporter", "logging");
            config.put("otel.traces.exporter", "logging");
            config.put("otel.logs.exporter", "none");
            config.put("otel.metric.export.interval", "500");
        }
        return Deployments.war("telemetry", config);
    }

    @Test
    void aDeliveryAFailoverAndARejectionAreExported() throws Exception {
        MailApp app = new MailApp(base);
        PEERS.apiAnswers(200, "{\"transmissionId\":\"tx-telemetry\"}");
        MailApp.Answer delivered = app.send(MailApp.message("ann@example.org"));
        assertThat(delivered.json().getString("transport")).isEqualTo("api");

        PEERS.apiAnswers(503, "{\"error\":\"unavailable\",\"message\":\"try later\"}");
        MailApp.Answer failedOver = app.send(MailApp.message("bob@example.org"));
        assertThat(failedOver.json().getString("transport")).isEqualTo("smtp");
        assertThat(failedOver.json().getBoolean("failedOver")).isTrue();

        PEERS.apiAnswers(400, "{\"error\":\"invalid\",\"message\":\"bad request\"}");
        MailApp.Answer rejected = app.send(MailApp.message("cy@example.org"));
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(PEERS.smtp.received).hasSize(1);

        if (!LIBERTY) {
            return; // deployed and sent: what the suite asks of WildFly and Payara
        }
        Path log = Path.of(Objects.requireNonNull(System.getProperty("it.server.log"), "it.server.log"));
        // Counters are cumulative: the last export holds every send. Exports come every half second; the deadline is
        // for a busy machine, never a measure of speed.
        ExportedMetrics metrics = ExportedMetrics.awaitIn(
                log,
                m -> m.value("mailpath.send.attempts", "mailpath.outcome=rejected", "mailpath.transport=api")
                                .isPresent()
                        && m.value("mailpath.smtp.pool.max", "mailpath.transport=smtp")
                                .isPresent());

        assertThat(metrics.value("mailpath.send.attempts", "mailpath.outcome=delivered", "mailpath.transport=api"))
                .contains(1L);
        assertThat(metrics.value("mailpath.send.attempts", "mailpath.outcome=unavailable", "mailpath.transport=api"))
                .contains(3L);
        assertThat(metrics.value("mailpath.send.attempts", "mailpath.outcome=delivered", "mailpath.transport=smtp"))
                .contains(1L);
        assertThat(metrics.value("mailpath.send.attempts", "mailpath.outcome=rejected", "mailpath.transport=api"))
                .contains(1L);
        assertThat(metrics.histogramCount(
                        "mailpath.send.attempt.duration", "mailpath.outcome=unavailable", "mailpath.transport=api"))
                .contains(3L);
        assertThat(metrics.value(
                        "mailpath.send.failovers",
                        "mailpath.delivered_by=smtp",
                        "mailpath.outcome=unavailable",
                        "mailpath.transport=api"))
                .contains(1L);
        assertThat(metrics.value("mailpath.send.messages", "mailpath.outcome=delivered", "mailpath.transport=smtp"))
                .contains(1L);
        assertThat(metrics.value("mailpath.send.messages", "mailpath.outcome=rejected", "mailpath.transport=api"))
                .contains(1L);
        // The SMTP transport's pool, after its one send: at most 4 connections (the default), none waiting.
        assertThat(metrics.value("mailpath.smtp.pool.max", "mailpath.transport=smtp"))
                .contains(4L);
        assertThat(metrics.value(
                        "mailpath.smtp.pool.connections", "mailpath.pool.state=waiting", "mailpath.transport=smtp"))
                .contains(0L);

        List<String> logLines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String failoverId = failedOver.json().getString("mailId");
        assertThat(logLines.stream().filter(l -> l.contains("'mailpath send'") && l.contains(failoverId)))
                .singleElement()
                .satisfies(span ->
                        assertThat(span).contains("mailpath.failed_over=true").contains("mailpath.transport=smtp"));
        // The server's REST client span of the API call joined the send's trace (the send's span was current).
        String deliveredId = delivered.json().getString("mailId");
        Matcher sendSpan = Pattern.compile("'mailpath send' : (\\p{XDigit}{32}) ")
                .matcher(logLines.stream()
                        .filter(l -> l.contains("'mailpath send'") && l.contains(deliveredId))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no span of the delivered send in " + log)));
        assertThat(sendSpan.find()).isTrue();
        String trace = sendSpan.group(1);
        assertThat(logLines)
                .anyMatch(
                        l -> l.contains(" : " + trace + " ") && l.contains(" CLIENT ") && l.contains("transmissions"));
    }

    /** The points of the metrics this application's logging exporter wrote, from its latest export of each. */
    record ExportedMetrics(List<String> lines) {
        private static final Pattern LONG_POINT =
                Pattern.compile("(?:getA|a)ttributes=\\{([^}]*)\\}, (?:getV|v)alue=(-?\\d+)");
        private static final Pattern HISTOGRAM_POINT =
                Pattern.compile("(?:getA|a)ttributes=\\{([^}]*)\\}, (?:getS|s)um=[^,]*, (?:getC|c)ount=(\\d+)");

        static ExportedMetrics awaitIn(Path log, java.util.function.Predicate<ExportedMetrics> ready) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            ExportedMetrics metrics = read(log);
            while (!ready.test(metrics) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                metrics = read(log);
            }
            return metrics;
        }

        static ExportedMetrics read(Path log) throws Exception {
            return new ExportedMetrics(Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("metric: ") && l.contains(SERVICE))
                    .toList());
        }

        Optional<Long> value(String metric, String... attributes) {
            return latest(metric, LONG_POINT, attributes);
        }

        Optional<Long> histogramCount(String metric, String... attributes) {
            return latest(metric, HISTOGRAM_POINT, attributes);
        }

        private Optional<Long> latest(String metric, Pattern point, String... attributes) {
            TreeSet<String> wanted = new TreeSet<>(Arrays.asList(attributes));
            Optional<Long> found = Optional.empty();
            for (String line : lines) {
                if (!line.contains("name=" + metric + ",")) {
                    continue;
                }
                Matcher m = point.matcher(line);
                while (m.find()) {
                    if (attributeSet(m.group(1)).equals(wanted)) {
                        found = Optional.of(Long.parseLong(m.group(2)));
                    }
                }
            }
            return found;
        }

        /** {@code {a="x", b="y"}} as {@code [a=x, b=y]}. */
        private static TreeSet<String> attributeSet(String printed) {
            TreeSet<String> set = new TreeSet<>();
            for (String pair : printed.split(", ")) {
                if (!pair.isBlank()) {
                    set.add(pair.replace("\"", "").trim());
                }
            }
            return set;
        }
    }
}
