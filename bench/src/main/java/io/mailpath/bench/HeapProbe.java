package io.mailpath.bench;

import io.mailpath.Attachment;
import io.mailpath.Mail;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A child JVM of {@link HeapSearch}: sends one message with a file attachment through one transport, on the heap it
 * was given, and prints the bytes its sending thread allocated. Exit code 0: sent; 3: out of memory; 2: other failure.
 */
public final class HeapProbe {
    private HeapProbe() {}

    /**
     * @param args the transport ({@code smtp} or {@code api}), the peer (host:port for SMTP, a base URL for the API)
     *     and the attachment file
     */
    public static void main(String[] args) {
        String transport = args[0];
        Map<String, String> config = new HashMap<>();
        if (transport.equals("smtp")) {
            config.put("mailpath.smtp.host", args[1].substring(0, args[1].lastIndexOf(':')));
            config.put("mailpath.smtp.port", args[1].substring(args[1].lastIndexOf(':') + 1));
            config.put("mailpath.smtp.insecure-plaintext", "true");
        } else {
            config.put("mailpath.api.url", args[1]);
            config.put("mailpath.api.insecure-allow-http", "true");
            config.put("mailpath.api.key", Bench.API_KEY);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (DirectTransport t = Transports.create(transport, config)) {
            Mail mail = Mail.builder()
                    .from(Messages.FROM)
                    .to(Messages.TO)
                    .subject(Messages.SUBJECT)
                    .text("A large file attachment")
                    .attach(Attachment.named("large.bin")
                            .type("application/octet-stream")
                            .file(Path.of(args[2])))
                    .build();
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            t.send(mail);
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            System.out.println("allocated " + allocated);
        } catch (OutOfMemoryError e) {
            System.exit(3);
        } catch (Throwable e) {
            System.out.println("failed " + e);
            System.exit(2);
        }
        System.exit(0);
    }
}
