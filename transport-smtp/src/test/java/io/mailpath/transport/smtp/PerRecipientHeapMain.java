package io.mailpath.transport.smtp;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.peers.TestSmtpServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link PerRecipientHeapTest} in a JVM of its own with a small heap: sends one per-recipient message with a
 * large body to many recipients through a real SMTP server in this JVM that counts what it accepts without keeping
 * it. Exits 0 when every recipient got their message, 2 when not; an exhausted heap ends the JVM with its own code.
 *
 * <p>Arguments: the number of recipients, the body's size in bytes.
 */
public final class PerRecipientHeapMain {
    private PerRecipientHeapMain() {}

    public static void main(String[] args) {
        int recipients = Integer.parseInt(args[0]);
        int bodyBytes = Integer.parseInt(args[1]);
        try (TestSmtpServer server = new TestSmtpServer(TestSmtpServer.Tls.NONE, null, false);
                DirectTransport smtp = Transports.create(
                        "smtp",
                        Map.of(
                                "mailpath.smtp.host", "127.0.0.1",
                                "mailpath.smtp.port", String.valueOf(server.port()),
                                "mailpath.smtp.insecure-plaintext", "true",
                                "mailpath.smtp.pool.max-connections", "1"))) {
            server.keepReceived = false;
            String line = "Dear {{name}}, " + "x".repeat(60) + "\n";
            StringBuilder body = new StringBuilder(bodyBytes + line.length());
            while (body.length() < bodyBytes) {
                body.append(line);
            }
            List<String> to = new ArrayList<>();
            Mail.Builder mail = Mail.builder().from("shop@example.com").subject("For {{name}}");
            for (int i = 0; i < recipients; i++) {
                String address = "r" + i + "@example.org";
                to.add(address);
                mail.recipientData(address, Map.of("name", "Recipient " + i));
            }
            mail.to(to.toArray(String[]::new)).text(body.toString());
            body = null;

            long start = System.nanoTime();
            SendReceipt receipt = smtp.send(mail.build());
            long ms = (System.nanoTime() - start) / 1_000_000;

            boolean ok = receipt.accepted().size() == recipients
                    && receipt.rejected().isEmpty()
                    && server.accepted.get() == recipients
                    && server.acceptedRecipients.equals(new HashSet<>(to));
            System.out.println("sent " + recipients + " x " + bodyBytes + " bytes in " + ms + " ms; server accepted "
                    + server.accepted.get() + " for " + server.acceptedRecipients.size() + " recipients with a heap of "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
            System.exit(ok ? 0 : 2);
        }
    }
}
