/**
 * The benchmark (not a published API): measures throughput, latency, CPU and heap of Mailpath's transports beside
 * the protocol's limits and plain clients. bench/run.sh starts one JVM per suite with {@link io.mailpath.bench.Bench}
 * and prints the table with {@link io.mailpath.bench.Report}; BENCHMARKS.md holds the results.
 */
package io.mailpath.bench;
