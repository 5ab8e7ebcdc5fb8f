package io.mailpath.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Delivery;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.RejectedRecipient;
import io.mailpath.SendReceipt;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared send flow: how the parts of a message are accounted for, sent one after another or at once. */
class AbstractTransportTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "part-sender"));

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static final TransportProvider PROVIDER = new TransportProvider() {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.PER_RECIPIENT_DATA);
        }

        @Override
        public DirectTransport create(TransportConfig config) {
            throw new UnsupportedOperationException();
        }
    };

    /** One part per recipient; each recipient's outcome is scripted by address. */
    private final class Scripted extends AbstractTransport<String> {
        final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
        final Map<String, String> deliveredOn = new ConcurrentHashMap<>();
        final boolean concurrent;
        /** Where the parts go: the test's pool when concurrent. */
        java.util.concurrent.Executor executor;
        /** Runs before each part is delivered, on the thread that delivers it. */
        Runnable beforeDelivery = () -> {};

        boolean released;

        Scripted(boolean concurrent) {
            super(PROVIDER);
            this.concurrent = concurrent;
            this.executor = concurrent ? pool : null;
        }

        @Override
        protected List<String> compose(Mail mail) {
            return mail.to().stream().map(io.mailpath.Address::email).toList();
        }

        @Override
        protected List<String> recipients(String part) {
            return List.of(part);
        }

        @Override
        protected PartReceipt deliver(String part) {
            deliveredOn.put(part, Thread.currentThread().getName());
            beforeDelivery.run();
            RuntimeException failure = failures.get(part);
            if (failure != null) {
                throw failure;
            }
            return PartReceipt.accepted(new Delivery(List.of(part), "t-" + part, null), 200);
        }

        @Override
        protected MailException classify(RuntimeException failure) {
            if (failure instanceof IllegalStateException) {
                return new MailUncertainException("lost: " + failure.getMessage(), name(), -1, null, failure);
            }
            throw failure;
        }

        @Override
        protected java.util.concurrent.Executor partExecutor() {
            return executor;
        }

        @Override
        protected void release() {
            released = true;
        }
    }

    private static Mail mail(String... to) {
        Mail.Builder b = Mail.builder().from("sender@example.com").subject("Hi").text("Hello");
        for (String t : to) {
            b.to(t);
        }
        return b.build();
    }

    private static MailException unavailable(String why) {
        return new MailUnavailableException(why, "scripted", 503, null, null);
    }

    @Test
    void aSinglePartFailsWithItsOwnFailureUnchanged() {
        Scripted t = new Scripted(false);
        MailException refused = new MailRejectedException("bad", "scripted", 400, null, null);
        t.failures.put("a@example.com", refused);
        assertThatThrownBy(() -> t.send(mail("a@example.com"))).isSameAs(refused);
    }

    @Test
    void everyPartDeliveredMakesOneReceiptWithEveryDelivery() {
        for (boolean concurrent : new boolean[] {false, true}) {
            Scripted t = new Scripted(concurrent);
            SendReceipt r = t.send(mail("a@example.com", "b@example.com", "c@example.com"));
            String caller = Thread.currentThread().getName();
            // At once: on the executor's threads, and on the caller's for a part none of them had started yet.
            assertThat(t.deliveredOn.values())
                    .hasSize(3)
                    .allMatch(on -> on.equals(caller) || (concurrent && on.equals("part-sender")));
            assertThat(r.transport()).isEqualTo("scripted");
            assertThat(r.deliveries())
                    .extracting(Delivery::transmissionId)
                    .containsExactly("t-a@example.com", "t-b@example.com", "t-c@example.com");
            assertThat(r.accepted()).containsExactly("a@example.com", "b@example.com", "c@example.com");
            assertThat(r.isPartial()).isFalse();
            assertThat(r.attempts()).singleElement().satisfies(a -> assertThat(a.status())
                    .isEqualTo(200));
        }
    }

    @Test
    void aFailedPartIsReportedWithItsKindWhileTheOthersAreDelivered() {
        for (boolean concurrent : new boolean[] {false, true}) {
            Scripted t = new Scripted(concurrent);
            t.failures.put("b@example.com", unavailable("busy"));
            t.failures.put("c@example.com", new IllegalStateException("reset after the request"));
            SendReceipt r = t.send(mail("a@example.com", "b@example.com", "c@example.com"));
            assertThat(r.accepted()).containsExactly("a@example.com");
            assertThat(r.rejected())
                    .extracting(RejectedRecipient::address, RejectedRecipient::kind)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("b@example.com", FailureKind.UNAVAILABLE),
                            org.assertj.core.groups.Tuple.tuple("c@example.com", FailureKind.UNCERTAIN));
        }
    }

    @Test
    void whenNoPartIsDeliveredAnUncertainFailureWinsOverAnEarlierOne() {
        for (boolean concurrent : new boolean[] {false, true}) {
            Scripted t = new Scripted(concurrent);
            t.failures.put("a@example.com", unavailable("busy"));
            t.failures.put("b@example.com", new IllegalStateException("reset after the request"));
            assertThatThrownBy(() -> t.send(mail("a@example.com", "b@example.com")))
                    .isInstanceOf(MailUncertainException.class)
                    .hasMessageContaining("reset after the request");
        }
    }

    @Test
    void whenNoPartIsDeliveredOneRecipientsRefusalNeverHidesAnotherPartThatMayPassLater() {
        for (boolean concurrent : new boolean[] {false, true}) {
            Scripted t = new Scripted(concurrent);
            t.failures.put(
                    "gone@example.com", new MailRejectedException("550 no such user", "scripted", 550, null, null));
            t.failures.put("busy@example.com", unavailable("451 try again later"));
            // Rejected for the whole message, the second recipient (whom nothing refused) would never get it.
            assertThatThrownBy(() -> t.send(mail("gone@example.com", "busy@example.com")))
                    .isInstanceOf(MailUnavailableException.class)
                    .hasMessageContaining("451");
        }
    }

    @Test
    void whenNoPartIsDeliveredTheFirstFailureIsThrown() {
        Scripted t = new Scripted(false);
        MailException first = unavailable("first");
        t.failures.put("a@example.com", first);
        t.failures.put("b@example.com", unavailable("second"));
        assertThatThrownBy(() -> t.send(mail("a@example.com", "b@example.com"))).isSameAs(first);
    }

    @Test
    void whenNoPartIsDeliveredAFailureARetryCanCureWinsOverAnEarlierRefusal() {
        for (boolean concurrent : new boolean[] {false, true}) {
            Scripted t = new Scripted(concurrent);
            t.failures.put("a@example.com", new MailRejectedException("550 no such user", "scripted", 550, null, null));
            MailException greylisted = unavailable("451 greylisted");
            t.failures.put("b@example.com", greylisted);
            // Thrown as refused, the message would be given up although b would take it later.
            assertThatThrownBy(() -> t.send(mail("a@example.com", "b@example.com")))
                    .isSameAs(greylisted);
        }
    }

    @Test
    void thePartsOfAMessageGoOutAtOnce() {
        Scripted t = new Scripted(true);
        // Each part waits until all three are being delivered: one after another, the first would wait in vain.
        CyclicBarrier allThree = new CyclicBarrier(3);
        t.beforeDelivery = () -> {
            try {
                allThree.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("the parts did not go out at once", e);
            }
        };
        SendReceipt r = t.send(mail("a@example.com", "b@example.com", "c@example.com"));
        assertThat(r.accepted()).containsExactly("a@example.com", "b@example.com", "c@example.com");
    }

    @Test
    void aSendNeverWaitsOnAFullOrStoppingExecutor() {
        String caller = Thread.currentThread().getName();
        // Takes every part and never runs one, as a shared executor whose threads are all busy.
        java.util.concurrent.Executor full = task -> {};
        java.util.concurrent.Executor stopping = task -> {
            throw new RejectedExecutionException("stopping");
        };
        for (java.util.concurrent.Executor executor : List.of(full, stopping)) {
            Scripted t = new Scripted(true);
            t.executor = executor;
            SendReceipt r = t.send(mail("a@example.com", "b@example.com", "c@example.com"));
            assertThat(r.accepted()).containsExactly("a@example.com", "b@example.com", "c@example.com");
            assertThat(t.deliveredOn.values()).containsOnly(caller);
        }
    }

    @Test
    void anExecutorThatFailsToTakeAPartLeavesItToTheCallerWhileTheOthersGoOut() {
        // Takes the first part, then fails in a way other than a rejection (a container's executor in a state it does
        // not expect): the part already handed over is being delivered, so the send must go on, not end in an
        // exception that tells the caller nothing was sent.
        java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor failing = task -> {
            if (handed.incrementAndGet() == 1) {
                pool.execute(task);
            } else {
                throw new IllegalStateException("not accepting tasks now");
            }
        };
        Scripted t = new Scripted(true);
        t.executor = failing;
        SendReceipt r = t.send(mail("a@example.com", "b@example.com", "c@example.com"));
        assertThat(r.accepted()).containsExactly("a@example.com", "b@example.com", "c@example.com");
        assertThat(t.deliveredOn).hasSize(3);
    }

    @Test
    void anErrorInOnePartOfSeveralIsThrownUnchanged() {
        Scripted t = new Scripted(true);
        t.failures.put("b@example.com", new IllegalArgumentException("not classified"));
        assertThatThrownBy(() -> t.send(mail("a@example.com", "b@example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not classified");
    }

    @Test
    void anUnclassifiedFailurePassesThroughUnchanged() {
        Scripted t = new Scripted(false);
        UnsupportedOperationException bug = new UnsupportedOperationException("a bug");
        t.failures.put("a@example.com", bug);
        assertThatThrownBy(() -> t.send(mail("a@example.com"))).isSameAs(bug);
    }

    @Test
    void aClosedTransportSendsNothingAndReleasesOnce() {
        Scripted t = new Scripted(false);
        t.close();
        assertThat(t.released).isTrue();
        t.released = false;
        t.close();
        assertThat(t.released).isFalse();
        assertThatThrownBy(() -> t.send(mail("a@example.com")))
                .isInstanceOf(MailUnavailableException.class)
                .hasMessageContaining("'scripted' transport is closed");
    }

    @Test
    void nameAndCapabilitiesAreTheProvidersOwn() {
        Scripted t = new Scripted(false);
        assertThat(t.name()).isEqualTo(PROVIDER.name());
        assertThat(t.capabilities()).isEqualTo(PROVIDER.capabilities());
    }
}
