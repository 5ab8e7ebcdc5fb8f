package io.mailpath.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Heap for one message with a 10 MB file attachment on each path: the smallest {@code -Xmx} (in MB, from a ladder)
 * with which a child JVM ({@link HeapProbe}) sends it, found by bisection, and the bytes the sending thread allocated
 * at a comfortable heap. Peers: smtp-sink at {@code bench.sink}, nginx at {@code bench.nginx}; results go to {@code
 * bench.heap.results} as "path, smallest -Xmx MB, allocated bytes, attachment bytes".
 */
final class HeapSearch {
    static final long ATTACHMENT_BYTES = 10L * 1024 * 1024;
    private static final int[] LADDER_MB = {4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256};

    private HeapSearch() {}

    static void run() throws Exception {
        Path work = Path.of(Bench.property("bench.work"));
        Path file = work.resolve("attachment-10m.bin");
        writeRandom(file, ATTACHMENT_BYTES);
        Path results = Path.of(Bench.property("bench.heap.results"));
        for (String[] path : List.of(
                new String[] {"smtp", Bench.property("bench.sink")},
                new String[] {"api", Bench.property("bench.nginx")})) {
            String allocated = probe(path[0], path[1], file, 512);
            if (allocated == null) {
                Bench.append(results, path[0] + "\t-1\t-1\t" + ATTACHMENT_BYTES);
                continue;
            }
            int low = 0; // LADDER_MB[low - 1] failed (or none tried)
            int high = LADDER_MB.length; // LADDER_MB[high] sent (512 MB when none yet)
            while (low < high) {
                int mid = (low + high) / 2;
                if (probe(path[0], path[1], file, LADDER_MB[mid]) != null) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            int smallest = high < LADDER_MB.length ? LADDER_MB[high] : 512;
            System.err.printf(
                    Locale.ROOT, "heap %s: sends at -Xmx%dm, allocated %s bytes%n", path[0], smallest, allocated);
            Bench.append(results, path[0] + "\t" + smallest + "\t" + allocated + "\t" + ATTACHMENT_BYTES);
        }
    }

    /** The sending thread's allocation when the child sent the message with this heap, else {@code null}. */
    private static String probe(String transport, String peer, Path file, int heapMb) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + heapMb + "m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HeapProbe.class.getName(),
                        transport,
                        peer,
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        if (p.exitValue() != 0) {
            return null;
        }
        return out.lines()
                .filter(l -> l.startsWith("allocated "))
                .map(l -> l.substring("allocated ".length()).trim())
                .findFirst()
                .orElse(null);
    }

    private static void writeRandom(Path file, long size) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Random random = new Random(10);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }
}
