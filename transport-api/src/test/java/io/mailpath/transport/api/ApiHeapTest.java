package io.mailpath.transport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailpath.Mail;
import io.mailpath.testing.peers.TransmissionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one API request costs in heap: a child JVM ({@link HeapProbe}) whose heap is smaller than twice the attachment
 * sends a message with the largest file attachment a message may carry to a peer in this JVM, which counts what
 * arrives. The request body is streamed from the file, so it fits; a request model that held the content, or its
 * base64, in memory would not (the content and its base64 alone are 2.33 times the file).
 */
@Tag("slow")
class ApiHeapTest {
    private static final long ATTACHMENT = Mail.MAX_ATTACHMENT_BYTES;
    private static final String HEAP = "-Xmx40m";
    private static final byte[] VALUE_KEY = "\"value\":\"".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aLargeFileAttachmentIsStreamedNotHeld() throws Exception {
        Path file = dir.resolve("large.bin");
        writeRandom(file, ATTACHMENT);
        try (Peer peer = new Peer()) {
            Process child = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            HEAP,
                            "-XX:+UseSerialGC",
                            "-Djava.io.tmpdir=" + dir,
                            "-cp",
                            System.getProperty("java.class.path"),
                            HeapProbe.class.getName(),
                            file.toString(),
                            "http://127.0.0.1:" + peer.port()))
                    .redirectErrorStream(true)
                    .start();
            String output;
            try (InputStream in = child.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String probe = output.lines()
                    .filter(l -> l.startsWith("probe:"))
                    .reduce("", (a, b) -> a + b + System.lineSeparator());
            System.out.println("API heap test: attachment " + ATTACHMENT + " bytes, child heap " + HEAP
                    + ", the peer received " + peer.bodyBytes.get() + " body bytes with " + peer.valueChars.get()
                    + " base64 characters of attachment" + System.lineSeparator() + probe);

            assertThat(child.exitValue()).as(output).isZero();
            assertThat(peer.valueChars.get()).isEqualTo(TransmissionComposer.base64Size(ATTACHMENT));
            assertThat(peer.bodyBytes.get()).isGreaterThan(peer.valueChars.get());
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Random random = new Random(11);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    /**
     * Reads each request body and throws it away, counting its bytes and the characters of the longest {@code value}
     * string (the attachment's); answers 200 with a transmission id.
     */
    private static final class Peer implements AutoCloseable {
        final AtomicLong bodyBytes = new AtomicLong(-1);
        final AtomicLong valueChars = new AtomicLong(-1);
        private final HttpServer server;

        Peer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext(TransmissionSpec.PATH, this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            long total = 0;
            long longest = -1;
            long value = 0;
            int matched = 0; // how much of VALUE_KEY the last bytes match
            boolean inValue = false;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        byte b = buf[i];
                        if (inValue) {
                            if (b == '"') {
                                inValue = false;
                                longest = Math.max(longest, value);
                            } else {
                                value++;
                            }
                        } else {
                            matched = b == VALUE_KEY[matched] ? matched + 1 : (b == VALUE_KEY[0] ? 1 : 0);
                            if (matched == VALUE_KEY.length) {
                                inValue = true;
                                value = 0;
                                matched = 0;
                            }
                        }
                    }
                    total += n;
                }
            }
            bodyBytes.set(total);
            valueChars.set(longest);
            ApiFixture.acceptExchange(exchange, "heap-1");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
