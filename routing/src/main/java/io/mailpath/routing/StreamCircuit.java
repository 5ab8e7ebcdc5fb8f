package io.mailpath.routing;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of a named stream's primary transport.
 *
 * <p>MicroProfile Fault Tolerance keeps one circuit per annotated method of a bean class (its state is shared by every
 * call of that method), and a stream is configuration, not a class: an annotation cannot give each stream its own
 * circuit. The unnamed stream keeps {@link PrimaryPath#send}'s {@code @CircuitBreaker}; each named stream's primary
 * has one of these, with the same rules and the same values (read from the {@code PrimaryPath/send/CircuitBreaker/*}
 * keys): of the last {@code requestVolumeThreshold} calls, when at least {@code failureRatio} of them failed, the
 * circuit opens; after {@code delay} it lets up to {@code successThreshold} trial calls through, and that many
 * successes close it while one failure opens it again. So one stream's dead relay or failing key never opens the
 * circuit another stream's mail goes through.
 */
final class StreamCircuit {
    /** The values of one circuit, as {@code @CircuitBreaker} names them. */
    record Settings(int requestVolumeThreshold, double failureRatio, Duration delay, int successThreshold) {
        Settings {
            if (requestVolumeThreshold < 1 || successThreshold < 1 || delay.isNegative()) {
                throw new IllegalArgumentException("Not a circuit breaker: " + requestVolumeThreshold + ", "
                        + failureRatio + ", " + delay + ", " + successThreshold);
            }
        }
    }

    private enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final Settings settings;
    private final LongSupplier nanoClock;

    /** The outcomes of the last calls while closed, oldest overwritten first: true for a failure. */
    private final boolean[] window;

    private int recorded;
    private int next;
    private int failures;
    private State state = State.CLOSED;
    private long openedAt;
    private int trialsLetThrough;
    private int trialSuccesses;
    /**
     * Counts the changes of state: a call reports its outcome with the spell it was let through in, and an outcome of
     * an earlier spell (a call let through while closed that ends after the circuit half-opened, a trial of an earlier
     * half-open spell) says nothing of the transport now, so it is ignored, as MP Fault Tolerance does.
     */
    private long spell;

    /** What {@link #pass} answers when the call may not go through. */
    static final long REFUSED = -1;

    StreamCircuit(Settings settings) {
        this(settings, System::nanoTime);
    }

    StreamCircuit(Settings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.window = new boolean[settings.requestVolumeThreshold()];
    }

    /**
     * Whether a call may go through now: closed, or half-open with a trial slot free. Every call let through must
     * report how it ended with {@link #record}, giving the pass this returned.
     *
     * @return the call's pass, or {@link #REFUSED}
     */
    synchronized long pass() {
        if (state == State.OPEN) {
            if (nanoClock.getAsLong() - openedAt < settings.delay().toNanos()) {
                return REFUSED;
            }
            state = State.HALF_OPEN;
            spell++;
            trialsLetThrough = 0;
            trialSuccesses = 0;
        }
        if (state == State.HALF_OPEN) {
            if (trialsLetThrough >= settings.successThreshold()) {
                return REFUSED;
            }
            trialsLetThrough++;
        }
        return spell;
    }

    /**
     * How a call let through ended: a failure is an unavailable or uncertain outcome, anything else a success.
     *
     * @param pass what {@link #pass} returned for the call
     */
    synchronized void record(long pass, boolean failed) {
        if (pass != spell) {
            return;
        }
        switch (state) {
            case HALF_OPEN -> {
                if (failed) {
                    open();
                } else if (++trialSuccesses >= settings.successThreshold()) {
                    close();
                }
            }
            case CLOSED -> {
                if (recorded == window.length && window[next]) {
                    failures--;
                }
                window[next] = failed;
                if (failed) {
                    failures++;
                }
                next = (next + 1) % window.length;
                recorded = Math.min(recorded + 1, window.length);
                if (recorded == window.length && failures >= settings.failureRatio() * window.length) {
                    open();
                }
            }
            case OPEN -> {
                // Not reached: opening starts a new spell.
            }
        }
    }

    /** Whether the circuit is refusing calls now (open, its delay not yet over). */
    synchronized boolean isOpen() {
        return state == State.OPEN
                && nanoClock.getAsLong() - openedAt < settings.delay().toNanos();
    }

    private void open() {
        state = State.OPEN;
        spell++;
        openedAt = nanoClock.getAsLong();
    }

    private void close() {
        state = State.CLOSED;
        spell++;
        recorded = 0;
        next = 0;
        failures = 0;
    }
}
