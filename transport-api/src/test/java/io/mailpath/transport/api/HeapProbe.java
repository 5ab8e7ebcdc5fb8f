package io.mailpath.transport.api;

import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child JVM of {@link ApiHeapTest}: sends one message with a file attachment through the API transport, on the
 * small heap the test gives it, and prints what it saw. Exit code 0: sent; 3: out of memory; 2: any other failure.
 */
public final class HeapProbe {
    private HeapProbe() {}

    /**
     * @param args the attachment file and the URL of the peer to send to
     */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String url = args[1];
        Map<String, String> config = Map.of(
                "mailpath.api.url", url,
                "mailpath.api.insecure-allow-http", "true",
                "mailpath.api.key", "mt-heap-probe-key",
                "mailpath.api.max-request-bytes", String.valueOf(64L * 1024 * 1024),
                "mailpath.api.connect-timeout-ms", "5000",
                "mailpath.api.read-timeout-ms", "30000");
        try (DirectTransport transport = Transports.create("api", config)) {
            Mail mail = Mail.builder()
                    .from("sender@example.com")
                    .to("rcpt@example.org")
                    .subject("Heap probe")
                    .text("A large file attachment")
                    .attach(Attachment.named("large.bin")
                            .type("application/octet-stream")
                            .file(file))
                    .build();
            SendReceipt receipt = transport.send(mail);
            System.out.println("probe: sent, transmissionId " + receipt.transmissionId());
        } catch (OutOfMemoryError e) {
            report(file);
            System.out.println("probe: OutOfMemoryError: " + e.getMessage());
            System.exit(3);
        } catch (Throwable e) {
            report(file);
            System.out.println("probe: failed: " + e);
            e.printStackTrace(System.out);
            System.exit(2);
        }
        report(file);
        System.exit(0);
    }

    private static void report(Path file) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long size;
        try {
            size = Files.size(file);
        } catch (Exception e) {
            size = -1;
        }
        System.out.println("probe: attachment " + size + " bytes, max heap "
                + Runtime.getRuntime().maxMemory() + " bytes, peak heap used (sum of the pools' peaks) " + peak
                + " bytes");
    }
}
