/**
 * The benchmark's WAR for Open Liberty (not a published API): {@link io.mailpath.bench.liberty.BenchResource} runs a
 * row inside the server, through the server's Rest Client, Jakarta Mail and Fault Tolerance, for the driver outside
 * the server to measure beside the other rows.
 */
package io.mailpath.bench.liberty;
