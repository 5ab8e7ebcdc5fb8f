package io.mailpath.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs rows round-robin, so that a slow moment of the machine touches every row alike. */
public final class Runner {
    private Runner() {}

    /** One warm-up round (not counted), then {@code bench.rounds} rounds; appends each row's result. */
    static List<RowResult> runAndRecord(List<Row> rows) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        Duration window =
                Duration.ofMillis((long) (1000 * Double.parseDouble(System.getProperty("bench.seconds", "1.5"))));
        Duration warmup =
                Duration.ofMillis((long) (1000 * Double.parseDouble(System.getProperty("bench.warmup", "1"))));
        Path results = Path.of(Bench.property("bench.results"));
        for (Row row : rows) {
            row.run(warmup);
        }
        Map<Row, List<Measurement>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Row row : rows) {
                Measurement m = row.run(window);
                runs.computeIfAbsent(row, r -> new ArrayList<>()).add(m);
                System.err.printf(
                        Locale.ROOT,
                        "round %d %-22s %9.1f msg/s%s%n",
                        round + 1,
                        row.id(),
                        m.rate(),
                        m.errors() > 0 ? " errors " + m.errors() + ": " + m.firstError() : "");
            }
        }
        List<RowResult> recorded = new ArrayList<>();
        for (Map.Entry<Row, List<Measurement>> e : runs.entrySet()) {
            RowResult r = RowResult.of(e.getKey(), e.getValue());
            recorded.add(r);
            Bench.append(results, r.toLine());
        }
        return recorded;
    }
}
