package io.mailpath.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A protocol limit: a C load generator that knows nothing but the protocol (Postfix's {@code smtp-source}, {@code
 * wrk}) sending to the same peer. Its own CPU is not this JVM's, so the row reports none.
 */
public abstract class ToolRow extends NamedRow {
    final PeerCounter peer;

    ToolRow(String id, String label, int threads, PeerCounter peer) {
        super(id, label, threads);
        this.peer = peer;
    }

    static String run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toSeconds() + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited with " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** {@code smtp-source -s SESSIONS -d}: sessions in parallel, each sending its messages over one connection. */
    public static ToolRow smtpSource(String id, int sessions, String hostPort, int bodyBytes, PeerCounter peer) {
        return new ToolRow(id, "`smtp-source -s " + sessions + " -d` → `smtp-sink` (protocol limit)", sessions, peer) {
            private double lastRate = 1000.0 * sessions;

            @Override
            public Measurement run(Duration window) throws Exception {
                long count = Math.max(200L * threads(), Math.round(lastRate * window.toMillis() / 1000.0));
                List<String> command = List.of(
                        "smtp-source",
                        "-s",
                        String.valueOf(threads()),
                        "-m",
                        String.valueOf(count),
                        "-l",
                        String.valueOf(bodyBytes),
                        "-d",
                        "-f",
                        Messages.FROM,
                        "-t",
                        Messages.TO,
                        hostPort);
                long before = peer.count();
                long start = System.nanoTime();
                run(command, window.multipliedBy(4));
                double seconds = (System.nanoTime() - start) / 1e9;
                long received = peer.settle(before + count) - before;
                lastRate = count / seconds;
                return new Measurement(count, 0, seconds, null, Double.NaN, Double.NaN, -1, received, null);
            }
        };
    }

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(m?s)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** {@code wrk} POSTing the same JSON body as the JVM rows, over {@code connections} keep-alive connections. */
    public static ToolRow wrk(String id, int connections, String url, String luaScript, PeerCounter peer) {
        return new ToolRow(id, "`wrk` POST → nginx (protocol limit)", connections, peer) {
            @Override
            public Measurement run(Duration window) throws Exception {
                int wrkThreads = Math.min(connections, Runtime.getRuntime().availableProcessors());
                List<String> command = new ArrayList<>(List.of(
                        "wrk",
                        "-t" + wrkThreads,
                        "-c" + connections,
                        "-d" + Math.max(1, window.toMillis() / 1000) + "s",
                        "--latency",
                        "-s",
                        luaScript,
                        url));
                long before = peer.count();
                String out = run(command, window.multipliedBy(4));
                Matcher m = REQUESTS.matcher(out);
                if (!m.find()) {
                    throw new IOException("no request count in wrk's output: " + out);
                }
                long requests = Long.parseLong(m.group(1));
                double seconds = Double.parseDouble(m.group(2)) / (m.group(3).equals("ms") ? 1000 : 1);
                double p50 = Double.NaN;
                double p99 = Double.NaN;
                for (String line : out.split("\n")) {
                    Matcher p = PERCENTILE.matcher(line);
                    if (p.matches()) {
                        double v = Double.parseDouble(p.group(2));
                        double ms =
                                p.group(3).equals("us") ? v / 1000 : p.group(3).equals("s") ? v * 1000 : v;
                        if (p.group(1).equals("50")) {
                            p50 = ms;
                        } else {
                            p99 = ms;
                        }
                    }
                }
                Matcher e = ERRORS.matcher(out);
                long errors = e.find() ? Long.parseLong(e.group(1)) : 0;
                long received = peer.settle(before + requests) - before;
                return new Measurement(requests - errors, errors, seconds, null, p50, p99, -1, received, null);
            }
        };
    }
}
