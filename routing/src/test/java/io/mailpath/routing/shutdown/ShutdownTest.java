package io.mailpath.routing.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.SentMail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The application stops while it sends: every send in flight ends with a receipt or an exception (none is dropped
 * without a word), and what the caller was told matches what was delivered.
 */
class ShutdownTest {
    @Test
    void everySendInFlightEndsWithAReceiptOrAnException() throws Exception {
        Mailbox.clearAll();
        Mailbox.of("memory").delay(Duration.ofMillis(300));
        List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (MailpathDeployment running =
                MailpathDeployment.start(Map.of("mailpath.transports", "memory,memory-backup"), weld -> weld)) {
            MailTransport mail = running.bean(MailTransport.class);
            for (int i = 0; i < 30; i++) {
                var m = Messages.simple();
                ids.add(m.id());
                sends.add(mail.sendAsync(m).toCompletableFuture());
            }
        } // stops the container with sends in flight

        int receipts = 0;
        int failures = 0;
        for (CompletableFuture<SendReceipt> send : sends) {
            try {
                SendReceipt r = send.get(60, TimeUnit.SECONDS);
                receipts++;
                assertThat(Mailbox.of(r.transport()).withMailId(r.mailId())).isNotEmpty();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(MailException.class);
                failures++;
            }
        }
        Set<String> delivered = new java.util.HashSet<>();
        for (String box : List.of("memory", "memory-backup")) {
            delivered.addAll(
                    Mailbox.of(box).messages().stream().map(SentMail::mailId).collect(Collectors.toSet()));
        }
        System.out.printf("Shutdown with 30 sends in flight: %d receipts, %d exceptions%n", receipts, failures);
        assertThat(receipts + failures).isEqualTo(30);
        assertThat(delivered).hasSizeLessThanOrEqualTo(receipts + failures).isSubsetOf(ids);
    }
}
