package io.mailpath.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the table of every row the suites recorded ({@code args[0]}), the heap figures ({@code args[1]}) and the
 * ratios the issue sets targets for, as Markdown.
 */
public final class Report {
    private final Map<String, RowResult> rows = new LinkedHashMap<>();

    private Report() {}

    public static void main(String[] args) throws Exception {
        Report report = new Report();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                RowResult r = RowResult.parse(line);
                report.rows.put(r.id(), r);
            }
        }
        List<String> heap =
                args.length > 1 && Files.exists(Path.of(args[1])) ? Files.readAllLines(Path.of(args[1])) : List.of();
        report.print(heap);
    }

    private void print(List<String> heap) {
        System.out.println("| row | threads | msg/s (median) | p50 ms | p99 ms | CPU µs/msg | counted at the peer |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (RowResult r : rows.values()) {
            String peer = r.peerMessages() < 0
                    ? "—"
                    : r.peerMessages() == r.clientMessages()
                            ? "all " + r.clientMessages()
                            : r.peerMessages() + " of " + r.clientMessages() + " sent";
            if (r.errors() > 0) {
                peer += "; " + r.errors() + " errors (" + r.note() + ")";
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s |%n",
                    r.label(),
                    r.threads(),
                    format(r.medianRate(), 0),
                    format(r.p50Millis(), 2),
                    format(r.p99Millis(), 2),
                    format(r.cpuMicrosPerMessage(), 0),
                    peer);
        }
        if (rows.keySet().stream().anyMatch(id -> id.startsWith("outbox.drain."))) {
            System.out.println();
            System.out.println(
                    "Outbox rows: a backlog is enqueued first (not timed); msg/s is the backlog over the time until"
                            + " every entry is DELIVERED; threads = drains at once (all relays); CPU is the relay JVMs' own, not"
                            + " PostgreSQL's. What limits a drain beside the send itself: each message is claimed (an UPDATE of"
                            + " its row, with the batch's SELECT ... FOR UPDATE SKIP LOCKED and commit per 20), read back (a"
                            + " SELECT) and finished (an UPDATE and its commit, flushed to disk): three database round trips and"
                            + " a share of a commit per message, on top of the HTTP round trip; one drain waits for each in turn.");
        }
        if (!heap.isEmpty()) {
            System.out.println();
            System.out.println("| heap, one message with a 10 MB file attachment | smallest -Xmx that sends | "
                    + "allocated by the sending thread | × attachment |");
            System.out.println("|---|---|---|---|");
            for (String line : heap) {
                String[] f = line.split("\t");
                long allocated = Long.parseLong(f[2]);
                long attachment = Long.parseLong(f[3]);
                System.out.printf(
                        Locale.ROOT,
                        "| Mailpath %s | %s | %s | %s |%n",
                        f[0].equals("smtp") ? "SMTP" : "API",
                        f[1].equals("-1") ? "did not send at 512 MB" : f[1] + " MB",
                        allocated < 0 ? "—" : String.format(Locale.ROOT, "%.1f MB", allocated / 1048576.0),
                        allocated < 0 ? "—" : String.format(Locale.ROOT, "%.2f×", (double) allocated / attachment));
            }
        }
        System.out.println();
        System.out.println("| ratio | value | target |");
        System.out.println("|---|---|---|");
        ratio(
                "Mailpath SMTP ÷ one reused connection per thread, 8 threads",
                "smtp.mailpath.8",
                "smtp.reused.8",
                "≥ 0.9");
        ratio("Mailpath SMTP ÷ one reused connection, 1 thread", "smtp.mailpath.1", "smtp.reused.1", "");
        ratio("Mailpath SMTP ÷ `smtp-source` (8)", "smtp.mailpath.8", "smtp.limit.8", "");
        ratio("Mailpath API ÷ raw `HttpClient`, 16 threads", "http.mailpath.16", "http.raw.16", "≥ 0.8");
        ratio("Mailpath API ÷ raw `HttpClient`, 1 thread", "http.mailpath.1", "http.raw.1", "");
        ratio("Mailpath API ÷ `wrk` (16)", "http.mailpath.16", "http.limit.16", "");
        ratio(
                "Mailpath TLS ÷ one reused TLS connection per thread, 8 threads",
                "tls.mailpath.8",
                "tls.reused.8",
                "≥ 0.95");
        RowResult jakarta = rows.get("tls.connect.jakarta");
        if (jakarta != null) {
            line(
                    "connect + STARTTLS + AUTH, Jakarta Mail: median / p99 ms",
                    format(jakarta.p50Millis(), 1) + " / " + format(jakarta.p99Millis(), 1),
                    "≤ 10 (median)");
        }
        RowResult fresh = rows.get("tls.connect.mailpath");
        RowResult pooled = rows.get("tls.mailpath.1");
        if (fresh != null && pooled != null) {
            line(
                    "connect + STARTTLS + AUTH, Mailpath (new-connection send − pooled send, p50): ms",
                    format(fresh.p50Millis() - pooled.p50Millis(), 1),
                    "≤ 10 (median)");
        }
        ratio("Outbox: one relay ÷ direct `send`, concurrency 1", "outbox.drain.1x1", "outbox.send.1", "");
        ratio("Outbox: one relay ÷ direct `send`, concurrency 4", "outbox.drain.1x4", "outbox.send.4", "");
        ratio("Outbox: one relay at concurrency 4 ÷ at concurrency 1", "outbox.drain.1x4", "outbox.drain.1x1", "");
        ratio("Outbox: two relays (two JVMs) ÷ one, concurrency 4 each", "outbox.drain.2x4", "outbox.drain.1x4", "");
        ratio(
                "Mailpath API in Liberty ÷ Mailpath API in a plain JVM, 16 threads",
                "liberty.api.16",
                "http.mailpath.16",
                "≥ 0.8");
        ratio("Mailpath SMTP in Liberty ÷ in a plain JVM, 8 threads", "liberty.smtp.8", "smtp.mailpath.8", "");
        perSend(
                "Fault Tolerance: routed − direct API, time per send at 1 thread (µs)", "liberty.routed.1",
                "liberty.api.1", "");
        perSend(
                "API 503, circuit open: routed → SMTP − SMTP alone, time per send at 1 thread (µs)",
                "liberty.routed-open.1",
                "liberty.secondary.1",
                "< 1000");
    }

    private void ratio(String what, String id, String baseId, String target) {
        RowResult r = rows.get(id);
        RowResult base = rows.get(baseId);
        if (r != null && base != null && base.medianRate() > 0) {
            line(what, String.format(Locale.ROOT, "%.2f×", r.medianRate() / base.medianRate()), target);
        }
    }

    /** The difference in wall time per send (1 / rate) between two single-threaded rows. */
    private void perSend(String what, String id, String baseId, String target) {
        RowResult r = rows.get(id);
        RowResult base = rows.get(baseId);
        if (r != null && base != null && r.medianRate() > 0 && base.medianRate() > 0) {
            double micros = 1e6 / r.medianRate() - 1e6 / base.medianRate();
            line(what, String.format(Locale.ROOT, "%+.0f", micros), target);
        }
    }

    private static void line(String what, String value, String target) {
        System.out.printf("| %s | %s | %s |%n", what, value, target.isEmpty() ? "—" : target);
    }

    private static String format(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
