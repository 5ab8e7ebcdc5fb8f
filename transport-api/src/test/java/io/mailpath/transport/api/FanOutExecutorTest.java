package io.mailpath.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where the API transport's per-recipient transmissions run: on its own daemon threads in Java SE (here), on the
 * container's managed executor in a container. The container path's JNDI lookup is exercised on real servers (the
 * {@code it} module's per-recipient send); here a plain thread pool stands in for the executor it finds.
 */
class FanOutExecutorTest {
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void outsideAContainerThePartsRunOnTheTransportsOwnDaemonThreadsUntilClosed() throws Exception {
        // Java SE binds no java:comp: the lookup finds nothing, and says so without failing.
        assertThat(FanOutExecutor.lookUpManagedExecutor()).isEmpty();
        FanOutExecutor fanOut = new FanOutExecutor(2);
        open.add(fanOut);

        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            fanOut.execute(() -> {
                ranOn.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).allSatisfy(t -> {
            assertThat(t.getName()).startsWith("mailpath-api-fan-out-");
            assertThat(t.isDaemon()).isTrue();
        });
        assertThat(Set.copyOf(ranOn)).hasSizeLessThanOrEqualTo(2);

        fanOut.close();
        assertThatThrownBy(() -> fanOut.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        for (Thread t : ranOn) {
            t.join(Duration.ofSeconds(30).toMillis());
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void inAContainerThePartsRunOnItsExecutorAtMostConcurrencyAtOnceAndItIsNotStopped() throws Exception {
        ThreadPoolExecutor container =
                (ThreadPoolExecutor) Executors.newFixedThreadPool(8, r -> new Thread(r, "container-managed"));
        open.add(container::shutdownNow);
        AtomicInteger lookups = new AtomicInteger();
        FanOutExecutor fanOut = new FanOutExecutor(2, () -> {
            lookups.incrementAndGet();
            return Optional.of(container);
        });
        open.add(fanOut);

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(6);
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            fanOut.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                ranOn.add(Thread.currentThread().getName());
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                    done.countDown();
                }
            });
        }
        // Two run and hold; the other four wait in the transport, not in the container's queue.
        assertThat(eventually(() -> running.get() == 2)).isTrue();
        assertThat(container.getTaskCount()).isEqualTo(2);

        release.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mostAtOnce).hasValue(2);
        assertThat(ranOn).containsOnly("container-managed");
        assertThat(lookups).hasValue(1);

        fanOut.close();
        assertThat(container.isShutdown()).isFalse();
    }

    @Test
    void aTaskTheContainerRefusesRunsOnTheSubmittingThread() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        FanOutExecutor fanOut = new FanOutExecutor(2, () -> Optional.<Executor>of(stopped));
        open.add(fanOut);

        List<String> ranOn = new CopyOnWriteArrayList<>();
        fanOut.execute(() -> ranOn.add(Thread.currentThread().getName()));

        assertThat(ranOn).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aTaskTheContainerFailsToTakeRunsOnTheSubmittingThreadAndFreesItsPlace() throws Exception {
        ExecutorService container = Executors.newSingleThreadExecutor(r -> new Thread(r, "container-thread"));
        open.add(container::shutdownNow);
        java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
        // Fails the first two tasks other than by a rejection (an executor in a state it does not expect), then runs.
        Executor flaky = task -> {
            if (offered.incrementAndGet() <= 2) {
                throw new IllegalStateException("not now");
            }
            container.execute(task);
        };
        FanOutExecutor fanOut = new FanOutExecutor(2, () -> Optional.of(flaky));
        open.add(fanOut);

        List<String> ranOn = new CopyOnWriteArrayList<>();
        fanOut.execute(() -> ranOn.add(Thread.currentThread().getName()));
        fanOut.execute(() -> ranOn.add(Thread.currentThread().getName()));
        assertThat(ranOn)
                .containsExactly(
                        Thread.currentThread().getName(), Thread.currentThread().getName());

        // Both places are free again: the next task runs on the container's executor.
        fanOut.execute(() -> ranOn.add(Thread.currentThread().getName()));
        assertThat(eventually(() -> ranOn.size() == 3)).isTrue();
        assertThat(ranOn.get(2)).isEqualTo("container-thread");
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
