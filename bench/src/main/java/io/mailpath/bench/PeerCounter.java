package io.mailpath.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How many messages a peer has received so far, read from what the peer itself writes. */
public interface PeerCounter {
    long count() throws IOException;

    /**
     * smtp-sink's running counter ({@code -c}): it rewrites "sess=N quit=N mesg=N" on its standard output whenever a
     * message ends; the last {@code mesg=} in the file is the total.
     */
    static PeerCounter smtpSink(Path counterFile) {
        Pattern mesg = Pattern.compile("mesg=(\\d+)");
        return () -> {
            if (!Files.exists(counterFile)) {
                return 0;
            }
            try (RandomAccessFile f = new RandomAccessFile(counterFile.toFile(), "r")) {
                long length = f.length();
                int tail = (int) Math.min(length, 256);
                byte[] bytes = new byte[tail];
                f.seek(length - tail);
                f.readFully(bytes);
                Matcher m = mesg.matcher(new String(bytes, StandardCharsets.US_ASCII));
                long last = 0;
                while (m.find()) {
                    last = Long.parseLong(m.group(1));
                }
                return last;
            }
        };
    }

    /** An access log with one line per request (nginx's). */
    static PeerCounter accessLog(Path log) {
        return new PeerCounter() {
            private long offset;
            private long lines;

            @Override
            public synchronized long count() throws IOException {
                if (!Files.exists(log)) {
                    return 0;
                }
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    f.seek(offset);
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = f.read(buf)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            if (buf[i] == '\n') {
                                lines++;
                            }
                        }
                        offset += n;
                    }
                }
                return lines;
            }
        };
    }

    /** Waits until the peer has counted at least {@code expected}, or a few seconds passed; returns its count. */
    default long settle(long expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long seen = count();
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = count();
        }
        return seen;
    }
}
