package io.mailpath.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A row sent from this JVM: {@code threads} threads, each with its own {@link Sender}, send in a loop until the window
 * ends. Creating and closing the senders is outside the window; every send inside it is timed.
 */
public final class JvmRow extends NamedRow {
    /** Makes one thread's sender. */
    @FunctionalInterface
    public interface SenderFactory {
        Sender open() throws Exception;
    }

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final SenderFactory factory;
    private final PeerCounter peer;

    public JvmRow(String id, String label, int threads, PeerCounter peer, SenderFactory factory) {
        super(id, label, threads);
        this.factory = factory;
        this.peer = peer;
    }

    @Override
    public Measurement run(Duration window) throws Exception {
        int threads = threads();
        CyclicBarrier ready = new CyclicBarrier(threads + 1);
        CyclicBarrier go = new CyclicBarrier(threads + 1);
        CyclicBarrier done = new CyclicBarrier(threads + 1);
        AtomicLong deadline = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(
                    () -> {
                        long[] mine = new long[4096];
                        int n = 0;
                        Sender sender = null;
                        try {
                            sender = factory.open();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                        try {
                            ready.await();
                            go.await();
                            long end = deadline.get();
                            while (sender != null && System.nanoTime() < end) {
                                long start = System.nanoTime();
                                try {
                                    sender.send();
                                    if (n == mine.length) {
                                        mine = Arrays.copyOf(mine, n * 2);
                                    }
                                    mine[n++] = System.nanoTime() - start;
                                } catch (Exception e) {
                                    errors.incrementAndGet();
                                    firstError.compareAndSet(null, e.toString());
                                }
                            }
                            counts[index] = n;
                            synchronized (latencies) {
                                latencies.add(Arrays.copyOf(mine, n));
                            }
                            done.await();
                        } catch (Exception e) {
                            firstError.compareAndSet(null, e.toString());
                        } finally {
                            if (sender != null) {
                                try {
                                    sender.close();
                                } catch (Exception ignored) {
                                    // Closing after the window: not part of the measurement.
                                }
                            }
                        }
                    },
                    id() + "-" + t);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long peerBefore = peer == null ? -1 : peer.count();
        long cpuBefore = OS.getProcessCpuTime();
        long start = System.nanoTime();
        deadline.set(start + window.toNanos());
        go.await();
        done.await();
        long elapsed = System.nanoTime() - start;
        long cpu = OS.getProcessCpuTime() - cpuBefore;
        for (Thread w : workers) {
            w.join();
        }
        long messages = Arrays.stream(counts).sum();
        long peerMessages = peer == null ? -1 : peer.settle(peerBefore + messages) - peerBefore;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        return new Measurement(
                messages,
                errors.get(),
                elapsed / 1e9,
                all,
                Double.NaN,
                Double.NaN,
                cpu,
                peerMessages,
                firstError.get());
    }
}
