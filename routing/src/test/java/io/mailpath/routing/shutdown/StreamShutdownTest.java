package io.mailpath.routing.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.MarketingMemoryTransportProvider;
import io.mailpath.routing.Messages;
import io.mailpath.routing.StreamTransports;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The application stops while a named stream's asynchronous sends wait in its lane: each caller still hears how its
 * send ended, a receipt or a Mailpath exception, and none waits for ever.
 */
class StreamShutdownTest {
    @Test
    void everySendWaitingInAStreamsLaneEndsWithAReceiptOrAMailpathException() throws Exception {
        Mailbox.clearAll();
        Mailbox.of(MarketingMemoryTransportProvider.NAME).delay(Duration.ofMillis(300));
        List<CompletableFuture<SendReceipt>> sends = new ArrayList<>();
        try (MailpathDeployment running = MailpathDeployment.start(
                Map.of(
                        "mailpath.transports", "memory",
                        "mailpath.streams", "marketing",
                        "mailpath.stream.marketing.transports", MarketingMemoryTransportProvider.NAME,
                        "mailpath.stream.marketing.async.max-concurrency", "2"),
                weld -> weld)) {
            MailTransport marketing = running.bean(StreamTransports.class).of("marketing");
            for (int i = 0; i < 30; i++) {
                sends.add(marketing.sendAsync(Messages.simple()).toCompletableFuture());
            }
        } // stops the container, most sends still waiting in the lane

        int receipts = 0;
        List<Throwable> failures = new ArrayList<>();
        List<Integer> neverEnded = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            try {
                SendReceipt r = sends.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.stream()).isEqualTo("marketing");
                receipts++;
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            } catch (TimeoutException e) {
                neverEnded.add(i);
            }
        }
        System.out.printf(
                "Shutdown with 30 marketing sends queued: %d receipts, %d exceptions %s, %d never ended%n",
                receipts,
                failures.size(),
                failures.stream().map(Object::getClass).distinct().toList(),
                neverEnded.size());
        assertThat(neverEnded).as("sends whose caller was never told").isEmpty();
        assertThat(failures).allSatisfy(f -> assertThat(f).isInstanceOf(MailException.class));
    }
}
