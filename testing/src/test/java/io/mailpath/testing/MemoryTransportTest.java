package io.mailpath.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory transports as a plain Java test uses them: found by name, recording, failing as told. */
class MemoryTransportTest {
    private final Mailbox mailbox = Mailbox.of("memory");
    private DirectTransport memory;

    @BeforeEach
    void open() {
        Mailbox.clearAll();
        memory = Transports.create("memory", Map.of());
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private static Mail.Builder message() {
        return Mail.builder()
                .from("sender@example.com")
                .to("ann@example.com")
                .subject("Hi")
                .text("Hello");
    }

    @Test
    void bothInMemoryTransportsCarryEverythingAndAreUsedOnlyWhenNamed() {
        for (String name : List.of("memory", "memory-backup")) {
            assertThat(Transports.provider(name).capabilities()).containsExactlyInAnyOrder(Capability.values());
            // Negative: out of the default order, so a kit jar left in an application never takes its mail.
            assertThat(Transports.provider(name).priority()).isNegative();
        }
    }

    @Test
    void recordsEveryRecipientOfAMessageAsOneDelivery() {
        Mail m = message().cc("bob@example.com").bcc("cat@example.com").build();

        SendReceipt receipt = memory.send(m);

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(receipt.accepted()).containsExactly("ann@example.com", "bob@example.com", "cat@example.com");
        assertThat(mailbox.messages()).singleElement().satisfies(s -> {
            assertThat(s.mail()).isSameAs(m);
            assertThat(s.transmissionId()).isEqualTo(receipt.transmissionId());
        });
        assertThat(mailbox.to("cat@example.com")).hasSize(1);
        assertThat(mailbox.withMailId(m.id())).hasSize(1);
        assertThat(mailbox.withSubject("Hi")).hasSize(1);
        assertThat(mailbox.withSubject("other")).isEmpty();
        assertThat(receipt.messageId()).isEqualTo("<" + m.id() + "@memory.invalid>");
    }

    @Test
    void aPerRecipientMessageIsOneDeliveryPerRecipientAndAFailedOneIsReported() {
        Mail m = Mail.builder()
                .from("sender@example.com")
                .to("ann@example.com", "bob@example.com")
                .subject("Hi {{name}}")
                .text("Hello {{name}}")
                .recipientData("ann@example.com", Map.of("name", "Ann"))
                .recipientData("bob@example.com", Map.of("name", "Bob"))
                .build();
        mailbox.failNext(1, SimulatedFailure.unavailable());

        SendReceipt receipt = memory.send(m);

        assertThat(receipt.deliveries()).extracting(Delivery::recipients).containsExactly(List.of("bob@example.com"));
        assertThat(receipt.rejected())
                .extracting(RejectedRecipient::address, RejectedRecipient::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ann@example.com", FailureKind.UNAVAILABLE));
        assertThat(mailbox.deliveriesTried()).isEqualTo(2);
    }

    @Test
    void failsTheNextDeliveriesInTheOrderTold() {
        mailbox.failNext(1, SimulatedFailure.rejected(550))
                .failNext(1, SimulatedFailure.authentication())
                .failNext(1, SimulatedFailure.rateLimited(Duration.ofSeconds(7)))
                .failNext(1, SimulatedFailure.unavailable());

        MailException rejected = failure(message().build());
        MailException auth = failure(message().build());
        MailException limited = failure(message().build());
        MailException unavailable = failure(message().build());
        SendReceipt fifth = memory.send(message().build());

        assertThat(rejected).isInstanceOf(MailRejectedException.class);
        assertThat(rejected.status()).isEqualTo(550);
        assertThat(rejected.transport()).isEqualTo("memory");
        assertThat(auth).isInstanceOf(MailAuthenticationException.class);
        assertThat(((MailRateLimitedException) limited).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(unavailable).isInstanceOf(MailUnavailableException.class);
        assertThat(fifth.transport()).isEqualTo("memory");
        assertThat(mailbox.messages()).hasSize(1);
        assertThat(mailbox.deliveriesTried()).isEqualTo(5);
    }

    @Test
    void uncertainAfterAcceptRecordsTheMessageAndThrows() {
        mailbox.failNext(1, SimulatedFailure.uncertainAfterAccept());
        Mail m = message().build();

        assertThatThrownBy(() -> memory.send(m)).isInstanceOf(MailUncertainException.class);
        assertThat(mailbox.withMailId(m.id())).hasSize(1);
    }

    @Test
    void failsAboutTheToldFractionAtRandomAndRepeatsWithTheSameSeed() {
        List<Boolean> first = outcomes(42);
        List<Boolean> again = outcomes(42);

        assertThat(again).isEqualTo(first);
        long failed = first.stream().filter(ok -> !ok).count();
        // 1000 draws at 30%: far outside 200..400 would mean the fraction is not applied.
        assertThat(failed).isBetween(200L, 400L);
    }

    private List<Boolean> outcomes(long seed) {
        mailbox.clear();
        mailbox.failRandomly(0.3, SimulatedFailure.unavailable(), seed);
        List<Boolean> result = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            try {
                memory.send(message().build());
                result.add(true);
            } catch (MailUnavailableException e) {
                result.add(false);
            }
        }
        assertThat(mailbox.messages())
                .hasSize((int) result.stream().filter(ok -> ok).count());
        return result;
    }

    @Test
    void aDelayedDeliveryStillHappensWhenTheSenderIsInterrupted() throws Exception {
        mailbox.delay(Duration.ofMillis(300));
        long start = System.nanoTime();
        CompletableFuture<Boolean> stillInterrupted = CompletableFuture.supplyAsync(() -> {
            // As a Fault Tolerance timeout does: the sender's thread is interrupted while the server works on.
            Thread.currentThread().interrupt();
            memory.send(message().build());
            return Thread.interrupted();
        });

        assertThat(stillInterrupted.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(mailbox.messages()).hasSize(1);
    }

    @Test
    void awaitReturnsOnceEnoughArrivedAndOtherwiseSaysHowManyDid() throws Exception {
        CompletableFuture.runAsync(() -> {
            memory.send(message().build());
            memory.send(message().build());
        });
        assertThat(mailbox.await(2, Duration.ofSeconds(30))).hasSize(2);

        assertThatThrownBy(() -> mailbox.await(3, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 3 deliveries")
                .hasMessageContaining("got 2");
    }

    @Test
    void aDeliveryThatBeganBeforeClearIsNotRecordedAfter() throws Exception {
        mailbox.delay(Duration.ofSeconds(2));
        CompletableFuture<SendReceipt> late =
                CompletableFuture.supplyAsync(() -> memory.send(message().build()));
        while (mailbox.deliveriesTried() == 0) {
            Thread.onSpinWait();
        }
        mailbox.clear();

        late.get(30, TimeUnit.SECONDS);

        assertThat(mailbox.messages()).isEmpty();
    }

    @Test
    void heldDeliveriesWaitInFlightUntilReleasedOneByOneOrAll() throws Exception {
        mailbox.hold();
        // A thread for each send: held sends block their threads.
        ExecutorService senders = Executors.newFixedThreadPool(3);
        List<Future<SendReceipt>> sends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sends.add(senders.submit(() -> memory.send(message().build())));
        }
        mailbox.awaitInFlight(3, Duration.ofSeconds(30));
        assertThat(mailbox.messages()).isEmpty();

        mailbox.release(1);
        assertThat(mailbox.await(1, Duration.ofSeconds(30))).hasSize(1);
        mailbox.awaitInFlight(2, Duration.ofSeconds(30));
        assertThat(mailbox.messages()).hasSize(1);

        mailbox.releaseAll();
        for (Future<SendReceipt> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
        senders.shutdown();
        assertThat(mailbox.messages()).hasSize(3);
        assertThat(mailbox.inFlight()).isZero();
        assertThat(mailbox.mostInFlight()).isEqualTo(3);
        assertThatThrownBy(() -> mailbox.awaitInFlight(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 1 deliveries in flight")
                .hasMessageContaining("had 0");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void clearEndsAHold() {
        mailbox.hold();
        mailbox.clear();

        memory.send(message().build());

        assertThat(mailbox.messages()).hasSize(1);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void clearForgetsMessagesFailuresAndDelay() {
        mailbox.failNext(5, SimulatedFailure.unavailable()).delay(Duration.ofHours(1));
        mailbox.clear();

        memory.send(message().build());

        assertThat(mailbox.messages()).hasSize(1);
        assertThat(mailbox.deliveriesTried()).isEqualTo(1);
    }

    private MailException failure(Mail m) {
        try {
            memory.send(m);
        } catch (MailException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
