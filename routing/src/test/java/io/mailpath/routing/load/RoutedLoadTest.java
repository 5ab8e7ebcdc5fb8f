package io.mailpath.routing.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every message accounted for under load with faults: 10,000 messages from 16 senders (half synchronous, half
 * {@code sendAsync}) through the routed transport, the primary failing a fifth of its calls at random (half
 * unavailable, half accepted with the answer lost), the backup 5% unavailable and 1% accepted with the answer lost.
 * Afterwards each message was received by a path or raised to its caller, and every copy beyond the first, or a copy
 * of a message raised to its caller, was flagged as a possible duplicate.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            // Short retry delays: they change no count, only the run's length.
            "io.mailpath.routing.PrimaryPath/send/Retry/delay=1",
            "io.mailpath.routing.PrimaryPath/send/Retry/jitter=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/delay=1",
            "io.mailpath.routing.SecondaryPath/send/Retry/jitter=0"
        })
@Tag("slow")
class RoutedLoadTest {
    private static final int MESSAGES = 10_000;
    private static final int SENDERS = 16;

    @Inject
    MailTransport mail;

    /** What the caller got for one message: a receipt or an exception. */
    private record Outcome(SendReceipt receipt, MailException failure) {
        boolean flaggedDuplicate() {
            return receipt != null
                    ? receipt.possibleDuplicate()
                    : failure.kind() == FailureKind.UNCERTAIN || failure.possibleDuplicate();
        }
    }

    @Test
    @Timeout(300)
    void everyMessageIsReceivedOrRaisedAndEveryDuplicateIsFlagged() throws Exception {
        Mailbox primary = Mailbox.of("memory")
                .failRandomly(0.10, SimulatedFailure.unavailable(), 7)
                .failRandomly(0.10, SimulatedFailure.uncertainAfterAccept(), 7);
        Mailbox backup = Mailbox.of("memory-backup")
                .failRandomly(0.05, SimulatedFailure.unavailable(), 11)
                .failRandomly(0.01, SimulatedFailure.uncertainAfterAccept(), 11);

        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            boolean async = s % 2 == 1;
            done.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < MESSAGES / SENDERS; i++) {
                            Mail m = Messages.simple();
                            outcomes.put(m.id(), async ? sendAsync(m) : send(m));
                        }
                    },
                    senders));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(240, TimeUnit.SECONDS);
        senders.shutdown();

        Map<String, Long> atPrimary = copies(primary);
        Map<String, Long> atBackup = copies(backup);
        int delivered = 0, raised = 0, raisedUnsent = 0, duplicated = 0, unflagged = 0, receiptWithoutCopy = 0;
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            String id = e.getKey();
            Outcome o = e.getValue();
            long copies = atPrimary.getOrDefault(id, 0L) + atBackup.getOrDefault(id, 0L);
            if (o.receipt() != null) {
                delivered++;
                Map<String, Long> where = o.receipt().transport().equals("memory") ? atPrimary : atBackup;
                if (where.getOrDefault(id, 0L) == 0) {
                    receiptWithoutCopy++;
                }
            } else {
                raised++;
                if (copies == 0) {
                    raisedUnsent++;
                }
            }
            boolean duplicate = copies > 1 || (copies > 0 && o.receipt() == null);
            if (duplicate) {
                duplicated++;
                if (!o.flaggedDuplicate()) {
                    unflagged++;
                }
            }
        }
        System.out.printf(
                "Routed load: %d messages, %d senders; delivered %d (primary copies %d, backup copies %d), raised %d,"
                        + " of which no path received %d; received more than once or received and raised %d (unflagged %d)%n",
                outcomes.size(),
                SENDERS,
                delivered,
                atPrimary.values().stream().mapToLong(Long::longValue).sum(),
                atBackup.values().stream().mapToLong(Long::longValue).sum(),
                raised,
                raisedUnsent,
                duplicated,
                unflagged);

        assertThat(outcomes).hasSize(MESSAGES);
        assertThat(unflagged).isZero();
        assertThat(receiptWithoutCopy).isZero();
        // A message no path received was raised, never reported delivered.
        assertThat(outcomes.entrySet().stream()
                        .filter(e -> !atPrimary.containsKey(e.getKey()) && !atBackup.containsKey(e.getKey()))
                        .allMatch(e -> e.getValue().receipt() == null))
                .isTrue();
        // The faults did happen: some messages failed over, some were flagged.
        assertThat(duplicated).isPositive();
        assertThat(atBackup).isNotEmpty();
    }

    private Outcome send(Mail m) {
        try {
            return new Outcome(mail.send(m), null);
        } catch (MailException e) {
            return new Outcome(null, e);
        }
    }

    private Outcome sendAsync(Mail m) {
        try {
            return new Outcome(mail.sendAsync(m).toCompletableFuture().get(60, TimeUnit.SECONDS), null);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof MailException me) {
                return new Outcome(null, me);
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Long> copies(Mailbox box) {
        return box.messages().stream().collect(Collectors.groupingBy(SentMail::mailId, Collectors.counting()));
    }
}
