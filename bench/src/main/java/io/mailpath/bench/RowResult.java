package io.mailpath.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A row's figures over every round: the median rate, the latency percentiles over every send of every round, CPU per
 * message over all rounds, and whether the peer counted every message.
 */
public record RowResult(
        String id,
        String label,
        int threads,
        int rounds,
        double medianRate,
        double p50Millis,
        double p99Millis,
        double cpuMicrosPerMessage,
        long clientMessages,
        long peerMessages,
        long errors,
        String note) {

    static RowResult of(Row row, List<Measurement> runs) {
        double[] rates = each(runs, Measurement::rate);
        Arrays.sort(rates);
        double median = rates.length % 2 == 1
                ? rates[rates.length / 2]
                : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
        long[] latencies = runs.stream()
                .filter(m -> m.latenciesNanos() != null)
                .flatMapToLong(m -> Arrays.stream(m.latenciesNanos()))
                .sorted()
                .toArray();
        double p50;
        double p99;
        if (latencies.length > 0) {
            p50 = percentile(latencies, 0.50) / 1e6;
            p99 = percentile(latencies, 0.99) / 1e6;
        } else {
            p50 = median(each(runs, Measurement::p50Millis));
            p99 = median(each(runs, Measurement::p99Millis));
        }
        long messages = runs.stream().mapToLong(Measurement::messages).sum();
        boolean hasCpu = runs.stream().allMatch(m -> m.cpuNanos() >= 0);
        double cpu = hasCpu && messages > 0
                ? runs.stream().mapToLong(Measurement::cpuNanos).sum() / 1e3 / messages
                : Double.NaN;
        boolean hasPeer = runs.stream().allMatch(m -> m.peerMessages() >= 0);
        long peer = hasPeer ? runs.stream().mapToLong(Measurement::peerMessages).sum() : -1;
        long errors = runs.stream().mapToLong(Measurement::errors).sum();
        String firstError = runs.stream()
                .map(Measurement::firstError)
                .filter(e -> e != null)
                .findFirst()
                .orElse("");
        return new RowResult(
                row.id(),
                row.label(),
                row.threads(),
                runs.size(),
                median,
                p50,
                p99,
                cpu,
                messages,
                peer,
                errors,
                firstError);
    }

    private static long percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double median(double[] values) {
        double[] v =
                Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** One tab-separated line, for the report that gathers every JVM's rows. */
    String toLine() {
        return String.join(
                "\t",
                id,
                label,
                String.valueOf(threads),
                String.valueOf(rounds),
                String.format(Locale.ROOT, "%.1f", medianRate),
                String.format(Locale.ROOT, "%.3f", p50Millis),
                String.format(Locale.ROOT, "%.3f", p99Millis),
                String.format(Locale.ROOT, "%.1f", cpuMicrosPerMessage),
                String.valueOf(clientMessages),
                String.valueOf(peerMessages),
                String.valueOf(errors),
                note.replace('\t', ' ').replace('\n', ' '));
    }

    static RowResult parse(String line) {
        String[] f = line.split("\t", -1);
        return new RowResult(
                f[0],
                f[1],
                Integer.parseInt(f[2]),
                Integer.parseInt(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Long.parseLong(f[8]),
                Long.parseLong(f[9]),
                Long.parseLong(f[10]),
                f.length > 11 ? f[11] : "");
    }

    /** One figure of every round, in round order. */
    private static double[] each(List<Measurement> runs, Function<Measurement, Double> figure) {
        double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = figure.apply(runs.get(i));
        }
        return values;
    }
}
