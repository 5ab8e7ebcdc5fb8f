package io.mailpath.e2e;

import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.peers.TestSmtpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child JVM of {@link SmtpHeapTest}: sends one message with a file attachment through the SMTP transport (STARTTLS
 * and AUTH), on the small heap the test gives it, and prints the peak heap it used. Exit code 0: sent; 3: out of
 * memory; 2: any other failure.
 */
public final class SmtpHeapProbe {
    private SmtpHeapProbe() {}

    /**
     * @param args the attachment file, the server's port, its trust store and the trust store's password
     */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Map<String, String> config = Map.of(
                "mailpath.smtp.host",
                "127.0.0.1",
                "mailpath.smtp.port",
                args[1],
                "mailpath.smtp.username",
                TestSmtpServer.USER,
                "mailpath.smtp.password",
                TestSmtpServer.PASSWORD,
                "mailpath.smtp.trust-store",
                args[2],
                "mailpath.smtp.trust-store-password",
                args[3],
                "mailpath.smtp.read-timeout-ms",
                "60000",
                "mailpath.smtp.write-timeout-ms",
                "60000");
        try (DirectTransport smtp = Transports.create("smtp", config)) {
            SendReceipt receipt = smtp.send(Mail.builder()
                    .from("sender@example.com")
                    .to("rcpt@example.org")
                    .subject("Heap probe")
                    .text("A large file attachment")
                    .attach(Attachment.named("large.bin")
                            .type("application/octet-stream")
                            .file(file))
                    .build());
            System.out.println("probe: sent, Message-ID " + receipt.messageId());
        } catch (OutOfMemoryError e) {
            report();
            System.out.println("probe: OutOfMemoryError: " + e.getMessage());
            System.exit(3);
        } catch (Throwable e) {
            report();
            System.out.println("probe: failed: " + e);
            e.printStackTrace(System.out);
            System.exit(2);
        }
        report();
        System.exit(0);
    }

    private static void report() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("probe: max heap " + Runtime.getRuntime().maxMemory()
                + " bytes, peak heap used (sum of the pools' peaks) " + peak + " bytes");
    }
}
