package io.mailpath.bench;

/**
 * One run of one row: what the client counted, what the peer counted, and the costs.
 *
 * @param messages sends that succeeded
 * @param errors sends that failed
 * @param seconds wall time of the run
 * @param latenciesNanos each successful send's duration, or {@code null} when the row cannot tell
 * @param p50Millis the median latency when only the row's tool knows it ({@code NaN} otherwise)
 * @param p99Millis the 99th percentile likewise
 * @param cpuNanos CPU time of this JVM during the run, or -1 when the work was done by another process
 * @param peerMessages what the peer counted during the run, or -1 when the row has no peer counter
 * @param firstError the first failure, or {@code null}
 */
public record Measurement(
        long messages,
        long errors,
        double seconds,
        long[] latenciesNanos,
        double p50Millis,
        double p99Millis,
        long cpuNanos,
        long peerMessages,
        String firstError) {

    double rate() {
        return messages / seconds;
    }
}
