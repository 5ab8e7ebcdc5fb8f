package io.mailpath.outbox.heap;

import io.mailpath.Delivery;
import io.mailpath.SendReceipt;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import io.mailpath.outbox.OutboxRelay;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.outbox.OutboxState;
import java.time.Duration;
import java.util.List;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * Run by {@link RelayHeapTest} in a JVM of its own with a small heap: one relay, the default batch size, drains a
 * Derby database (on disk) that holds large entries, through a transport that reads each attachment and keeps
 * nothing. Prints what was delivered; exits 0 when every entry was.
 */
public final class RelayHeapMain {
    private RelayHeapMain() {}

    public static void main(String[] args) {
        System.setProperty("derby.stream.error.file", args[0] + ".log");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(args[0]);
        int expected = Integer.parseInt(args[1]);
        MailOutbox outbox = new MailOutbox(dataSource, OutboxSettings.DEFAULTS);
        OutboxRelay relay = new OutboxRelay(outbox, mail -> {
            long bytes = 0;
            for (var attachment : mail.attachments()) {
                bytes += attachment.readAllBytes().length;
            }
            return SendReceipt.delivered(
                    "counting",
                    mail.id(),
                    List.of(new Delivery(List.of(mail.to().get(0).email()), null, "read " + bytes + " bytes")),
                    List.of(),
                    250,
                    Duration.ZERO);
        });
        int claimed = relay.drainOnce();
        List<OutboxEntry> entries = outbox.recentEntries(expected + 10);
        long delivered =
                entries.stream().filter(e -> e.state() == OutboxState.DELIVERED).count();
        System.out.println("one drain claimed " + claimed + " and delivered " + delivered + " of " + entries.size()
                + " entries with a heap of " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        System.exit(delivered == expected ? 0 : 1);
    }
}
