package io.mailpath.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A named stream's circuit breaker follows {@code @CircuitBreaker}'s rules, on a clock the test moves. */
class StreamCircuitTest {
    private final AtomicLong now = new AtomicLong();

    private StreamCircuit circuit(int volume, double ratio, long delayMs, int successes) {
        return new StreamCircuit(
                new StreamCircuit.Settings(volume, ratio, Duration.ofMillis(delayMs), successes), now::get);
    }

    private static void call(StreamCircuit c, boolean failed) {
        c.record(passes(c), failed);
    }

    private static long passes(StreamCircuit c) {
        long pass = c.pass();
        assertThat(pass).as("let through").isNotEqualTo(StreamCircuit.REFUSED);
        return pass;
    }

    @Test
    void opensOnlyOnceTheWindowIsFullAndTheRatioReached() {
        StreamCircuit c = circuit(4, 0.75, 1000, 1);
        call(c, true);
        call(c, true);
        call(c, true);
        assertThat(c.isOpen()).as("3 calls: the window of 4 is not full").isFalse();
        call(c, false);
        assertThat(c.isOpen()).as("3 failures of 4 reach 0.75").isTrue();
        assertThat(c.pass()).isEqualTo(StreamCircuit.REFUSED);
    }

    @Test
    void oldOutcomesLeaveTheWindow() {
        StreamCircuit c = circuit(4, 0.75, 1000, 1);
        call(c, true);
        call(c, true);
        call(c, false);
        call(c, false);
        call(c, true);
        assertThat(c.isOpen()).as("last 4: failed, ok, ok, failed").isFalse();
        call(c, true);
        assertThat(c.isOpen()).as("last 4: ok, ok, failed, failed").isFalse();
        call(c, true);
        assertThat(c.isOpen()).as("last 4: ok, failed, failed, failed").isTrue();
    }

    @Test
    void afterItsDelayItLetsTrialsThroughAndEnoughSuccessesCloseIt() {
        StreamCircuit c = circuit(2, 1.0, 1000, 2);
        call(c, true);
        call(c, true);
        assertThat(c.pass()).isEqualTo(StreamCircuit.REFUSED);
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(c.pass()).isEqualTo(StreamCircuit.REFUSED);
        now.addAndGet(Duration.ofMillis(1).toNanos());

        long first = passes(c);
        long second = passes(c);
        assertThat(c.pass())
                .as("no more trials than the success threshold at once")
                .isEqualTo(StreamCircuit.REFUSED);
        c.record(first, false);
        c.record(second, false);

        assertThat(c.isOpen()).isFalse();
        call(c, true);
        assertThat(c.isOpen()).as("closed again with an empty window").isFalse();
    }

    @Test
    void aFailedTrialOpensItAgainForAnotherDelay() {
        StreamCircuit c = circuit(1, 1.0, 1000, 3);
        call(c, true);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        call(c, false);
        call(c, true);
        assertThat(c.pass()).isEqualTo(StreamCircuit.REFUSED);
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(c.pass()).isEqualTo(StreamCircuit.REFUSED);
        now.addAndGet(Duration.ofMillis(500).toNanos());
        passes(c);
    }

    /**
     * A call let through while the circuit was closed, and ending after it opened and half-opened, says nothing of the
     * transport now: counted as a trial, it would close the circuit while the real trial is still out, and let every
     * call through at once (MP Fault Tolerance ignores such outcomes too).
     */
    @Test
    void aCallLetThroughBeforeTheCircuitOpenedIsNoTrial() {
        StreamCircuit c = circuit(2, 1.0, 1000, 1);
        long slow = passes(c); // a slow call, let through while closed
        call(c, true);
        call(c, true);
        assertThat(c.isOpen()).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        passes(c); // the one trial

        c.record(slow, false); // the slow call ends well, the trial has not answered yet

        assertThat(c.pass())
                .as("still half-open, its one trial slot taken: no more calls than the success threshold")
                .isEqualTo(StreamCircuit.REFUSED);
    }

    /** A trial of an earlier half-open spell that ends in the next one is not one of that spell's trials. */
    @Test
    void aTrialOfAnEarlierSpellIsNoTrialOfTheNextOne() {
        StreamCircuit c = circuit(1, 1.0, 1000, 2);
        call(c, true);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        long failing = passes(c);
        long slow = passes(c); // a second trial, slow
        c.record(failing, true); // the first trial fails: open again
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        long trial = passes(c);

        c.record(slow, false); // the slow trial of the earlier spell ends well
        c.record(trial, false); // ... and the one trial of this spell

        passes(c); // one success of this spell's two: still half-open, one slot left
        assertThat(c.pass()).as("no third trial while two are out").isEqualTo(StreamCircuit.REFUSED);
    }

    @Test
    void successesAloneNeverOpenIt() {
        StreamCircuit c = circuit(3, 0.5, 1000, 1);
        for (int i = 0; i < 100; i++) {
            call(c, false);
        }
        assertThat(c.isOpen()).isFalse();
    }

    /**
     * For every sequence of outcomes while closed, the circuit is open exactly when the last {@code volume} outcomes
     * (all since it last closed) hold at least {@code ratio} failures: the rule of a model that keeps every outcome.
     */
    @Property(tries = 300)
    void whileClosedItOpensExactlyWhenTheLastWindowFailsEnough(
            @ForAll("outcomes") List<Boolean> outcomes, @ForAll("volumes") int volume, @ForAll("ratios") double ratio) {
        StreamCircuit c = circuit(volume, ratio, 60_000, 1);
        Deque<Boolean> model = new ArrayDeque<>();
        for (boolean failed : outcomes) {
            c.record(passes(c), failed);
            model.addLast(failed);
            if (model.size() > volume) {
                model.removeFirst();
            }
            long failures = model.stream().filter(f -> f).count();
            boolean shouldOpen = model.size() == volume && failures >= ratio * volume;
            assertThat(c.isOpen()).isEqualTo(shouldOpen);
            if (shouldOpen) {
                return;
            }
        }
    }

    @Provide
    Arbitrary<List<Boolean>> outcomes() {
        return Arbitraries.of(true, false).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<Integer> volumes() {
        return Arbitraries.integers().between(1, 20);
    }

    @Provide
    Arbitrary<Double> ratios() {
        return Arbitraries.of(0.1, 0.25, 0.5, 0.75, 1.0);
    }
}
