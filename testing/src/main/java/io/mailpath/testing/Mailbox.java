package io.mailpath.testing;

import io.mailpath.Mail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * What an in-memory transport received, and how it is told to fail. There is one mailbox per transport name for the
 * whole class loader (in a deployed application: for the application), shared by every instance of that transport.
 *
 * <pre>
 * Mailbox memory = Mailbox.of("memory");
 * memory.failNext(1, SimulatedFailure.unavailable());
 * ...
 * assertThat(memory.to("user@example.com")).hasSize(1);
 * </pre>
 *
 * A delivery is one message as the transport sends it: the whole message, or one copy per {@code to} recipient when
 * it carries per-recipient data. Every scripted failure and the random one apply per delivery.
 */
public final class Mailbox {
    private static final ConcurrentMap<String, Mailbox> BY_TRANSPORT = new ConcurrentHashMap<>();

    private final String transport;
    private final List<SentMail> sent = new ArrayList<>();
    private final Deque<SimulatedFailure> scripted = new ArrayDeque<>();
    private final Random random = new Random();
    /** Random failures, each with its share of deliveries; they add up to at most 1. */
    private final List<Map.Entry<SimulatedFailure, Double>> randomFailures = new ArrayList<>();

    private Duration delay = Duration.ZERO;
    private int deliveries;
    /** While held, a delivery waits in flight for one of {@code releases} (see {@link #hold()}). */
    private boolean held;

    private int releases;
    private int inFlight;
    private int mostInFlight;
    /** Bumped by {@link #clear()}: a delivery that began before is not recorded after (it belonged to an earlier test). */
    private long generation;

    private Mailbox(String transport) {
        this.transport = transport;
    }

    /** The mailbox of the in-memory transport of that name. */
    public static Mailbox of(String transport) {
        return BY_TRANSPORT.computeIfAbsent(transport, Mailbox::new);
    }

    /** Empties every mailbox and forgets every failure and delay it was told. */
    public static void clearAll() {
        BY_TRANSPORT.values().forEach(Mailbox::clear);
    }

    /** The transport's name. */
    public String transport() {
        return transport;
    }

    /** Fails the next {@code times} deliveries this way (after any failures already scripted). */
    public synchronized Mailbox failNext(int times, SimulatedFailure failure) {
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative");
        }
        for (int i = 0; i < times; i++) {
            scripted.add(failure);
        }
        return this;
    }

    /**
     * Fails this fraction of deliveries (0 to 1) this way, at random, once the scripted failures are used up. Calls
     * add up, so that a test can mix kinds ({@code failRandomly(0.1, unavailable(), seed)} then
     * {@code failRandomly(0.05, uncertainAfterAccept(), seed)}); their fractions together are at most 1.
     *
     * @param seed the random seed, so that a run can be repeated (the last call's seed counts)
     */
    public synchronized Mailbox failRandomly(double fraction, SimulatedFailure failure, long seed) {
        double total = randomFailures.stream().map(Map.Entry::getValue).reduce(fraction, Double::sum);
        if (fraction < 0 || total > 1 + 1e-9) {
            throw new IllegalArgumentException("fractions must be between 0 and 1, together at most 1");
        }
        random.setSeed(seed);
        randomFailures.add(Map.entry(failure, fraction));
        return this;
    }

    /**
     * Makes every delivery take this long, as a slow server would. The server goes on even when the sender stops
     * waiting (a Fault Tolerance timeout): the delivery then still succeeds or fails as scripted.
     */
    public synchronized Mailbox delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /**
     * Holds every delivery in flight, as a server that has not answered yet, until {@link #release(int)} lets some
     * go or {@link #releaseAll()} ends the hold: how a test sees how many sends run at once.
     */
    public synchronized Mailbox hold() {
        held = true;
        releases = 0;
        return this;
    }

    /** Lets {@code count} held deliveries go on (whichever take them: waiting ones or later arrivals). */
    public synchronized void release(int count) {
        releases += count;
        notifyAll();
    }

    /** Ends the hold: every held delivery goes on, and later ones are not held. */
    public synchronized void releaseAll() {
        held = false;
        notifyAll();
    }

    /** Deliveries begun and not yet accepted or failed (held ones included). */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** The most deliveries that were in flight at once since this mailbox was last cleared. */
    public synchronized int mostInFlight() {
        return mostInFlight;
    }

    /**
     * Waits until exactly {@code count} deliveries are in flight, for sends that run on other threads.
     *
     * @throws AssertionError when that did not happen within the timeout, saying how many were
     */
    public synchronized void awaitInFlight(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight != count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Mailbox '" + transport + "' expected " + count + " deliveries in flight"
                        + " within " + timeout.toMillis() + " ms, had " + inFlight);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Every delivery accepted, in order. */
    public synchronized List<SentMail> messages() {
        return List.copyOf(sent);
    }

    /** Deliveries to one address (to, cc or bcc). */
    public List<SentMail> to(String address) {
        return matching(s -> s.recipients().contains(address));
    }

    /** Deliveries of one message, by its stable id. */
    public List<SentMail> withMailId(String mailId) {
        return matching(s -> s.mailId().equals(mailId));
    }

    /** Deliveries with this subject. */
    public List<SentMail> withSubject(String subject) {
        return matching(s -> s.subject().equals(subject));
    }

    /** How many deliveries were tried, failed ones included: how a test sees retries. */
    public synchronized int deliveriesTried() {
        return deliveries;
    }

    /**
     * Waits until at least {@code count} deliveries were accepted, for sends that run on other threads.
     *
     * @return every delivery accepted so far
     * @throws AssertionError when fewer arrived within the timeout, saying how many did
     */
    public synchronized List<SentMail> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sent.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Mailbox '" + transport + "' expected " + count + " deliveries within "
                        + timeout.toMillis() + " ms, got " + sent.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(sent);
    }

    /** Empties this mailbox, ends any hold and forgets the failures and delay it was told. */
    public synchronized void clear() {
        generation++;
        held = false;
        mostInFlight = inFlight;
        notifyAll();
        sent.clear();
        scripted.clear();
        randomFailures.clear();
        delay = Duration.ZERO;
        deliveries = 0;
    }

    private synchronized List<SentMail> matching(Predicate<SentMail> p) {
        return sent.stream().filter(p).toList();
    }

    /** One delivery through the transport: fails as told, or records the message. */
    SentMail deliver(Mail mail, List<String> recipients) {
        SimulatedFailure failure;
        Duration wait;
        int number;
        long began;
        synchronized (this) {
            began = generation;
            number = ++deliveries;
            failure = scripted.poll();
            if (failure == null && !randomFailures.isEmpty()) {
                failure = drawRandomFailure();
            }
            wait = delay;
            inFlight++;
            mostInFlight = Math.max(mostInFlight, inFlight);
            notifyAll();
            awaitRelease();
        }
        boolean answered = false;
        try {
            serverTime(wait);
            if (failure != null && !failure.acceptedFirst()) {
                throw failure.exception(transport);
            }
            SentMail accepted = new SentMail(transport, mail, recipients, transport + "-" + number, Instant.now());
            synchronized (this) {
                // Out of flight as it is recorded: whoever saw it accepted never counts it in flight.
                inFlight--;
                answered = true;
                if (generation == began) {
                    sent.add(accepted);
                }
                notifyAll();
            }
            if (failure != null) {
                throw failure.exception(transport);
            }
            return accepted;
        } finally {
            if (!answered) {
                synchronized (this) {
                    inFlight--;
                    notifyAll();
                }
            }
        }
    }

    /** While held, waits for a release; like a server, it keeps waiting when the sender is interrupted. */
    private void awaitRelease() {
        boolean interrupted = false;
        while (held && releases == 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (held) {
            releases--;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One draw for one delivery: the failure whose share it falls in, or null. */
    private SimulatedFailure drawRandomFailure() {
        double draw = random.nextDouble();
        for (Map.Entry<SimulatedFailure, Double> f : randomFailures) {
            draw -= f.getValue();
            if (draw < 0) {
                return f.getKey();
            }
        }
        return null;
    }

    /** Sleeps like a server that keeps working whatever the sender does; an interrupt is kept for the sender. */
    private static void serverTime(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized String toString() {
        return "Mailbox[" + transport + ", " + sent.size() + " accepted of " + deliveries + " tried]";
    }
}
