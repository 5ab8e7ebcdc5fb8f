package io.mailpath.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A stream's lane lets a bounded number of its asynchronous sends run at once, the rest in order as room frees. */
class AsyncLaneTest {
    @Test
    void atMostTheLimitRunAndTheRestStartInOrderAsEarlierOnesEnd() {
        AsyncLane lane = new AsyncLane(2);
        List<CompletableFuture<String>> started = new ArrayList<>();
        List<CompletionStage<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(lane.submit(() -> {
                CompletableFuture<String> f = new CompletableFuture<>();
                started.add(f);
                return f;
            }));
        }
        assertThat(started).hasSize(2);
        assertThat(lane.waiting()).isEqualTo(3);

        started.get(0).complete("first");
        assertThat(started).hasSize(3);
        started.get(1).completeExceptionally(new IllegalStateException("second failed"));
        assertThat(started).hasSize(4);

        assertThat(outcomes.get(0).toCompletableFuture()).isCompletedWithValue("first");
        assertThat(outcomes.get(1).toCompletableFuture())
                .isCompletedExceptionally()
                .failsWithin(java.time.Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("second failed");
        started.get(2).complete("third");
        started.get(3).complete("fourth");
        started.get(4).complete("fifth");
        assertThat(outcomes.get(4).toCompletableFuture()).isCompletedWithValue("fifth");
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void aSendThatCannotStartFailsItsOwnStageAndFreesItsRoom() {
        AsyncLane lane = new AsyncLane(1);
        CompletionStage<String> refused = lane.submit(() -> {
            throw new IllegalStateException("pool full");
        });
        assertThat(refused.toCompletableFuture()).isCompletedExceptionally();
        assertThat(lane.submit(() -> CompletableFuture.completedFuture("next")).toCompletableFuture())
                .isCompletedWithValue("next");
    }

    @Test
    void manySendsThatEndAtOnceNeedNoDeepStack() {
        AsyncLane lane = new AsyncLane(1);
        CompletableFuture<String> first = new CompletableFuture<>();
        lane.submit(() -> first);
        AtomicInteger ended = new AtomicInteger();
        List<CompletionStage<String>> queued = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            queued.add(lane.submit(() -> CompletableFuture.completedFuture("done")));
        }
        queued.forEach(q -> q.thenRun(ended::incrementAndGet));

        first.complete("first");

        assertThat(ended).hasValue(100_000);
    }

    @Test
    void noLimitStartsEverySendAtOnce() {
        AsyncLane lane = new AsyncLane(0);
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            lane.submit(() -> {
                started.incrementAndGet();
                return new CompletableFuture<String>();
            });
        }
        assertThat(started).hasValue(50);
    }
}
