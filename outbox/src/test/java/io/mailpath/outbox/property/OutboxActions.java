package io.mailpath.outbox.property;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The generated chains: enqueue a generated message (its faults come with it), drain one of the two relays, move the
 * clock (a little, past a lease, past every backoff), and make one of the next database statements fail.
 */
final class OutboxActions {
    private OutboxActions() {}

    static ActionChainArbitrary<OutboxWorld> chains(Supplier<OutboxWorld> start, int maxActions) {
        return ActionChain.<OutboxWorld>startWith(start)
                .withAction(4, enqueue())
                .withAction(5, drain())
                .withAction(2, advanceClock())
                .withAction(1, failStatement())
                .withMaxTransformations(maxActions);
    }

    private static Action.Independent<OutboxWorld> enqueue() {
        return () -> Combinators.combine(messages(), Arbitraries.integers().between(0, 9))
                .as((plan, roll) -> Transformer.mutate(
                        "enqueue " + (roll == 0 ? "(rolled back) " : "") + plan, w -> w.enqueue(plan, roll == 0)));
    }

    private static Action.Independent<OutboxWorld> drain() {
        return () -> Arbitraries.of(0, 1)
                .map(i -> Transformer.mutate("drain relay " + (i == 0 ? "A" : "B"), w -> w.drain(i)));
    }

    private static Action.Independent<OutboxWorld> advanceClock() {
        return () -> Arbitraries.of(
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(3),
                        OutboxWorld.LEASE.plusSeconds(1),
                        OutboxWorld.MAX_BACKOFF.plusMinutes(1),
                        Duration.ofMinutes(50))
                .map(d -> Transformer.mutate("clock +" + d, w -> w.advance(d)));
    }

    private static Action.Independent<OutboxWorld> failStatement() {
        return () -> Arbitraries.integers()
                .between(1, 8)
                .map(n -> Transformer.mutate("database statement " + n + " from now fails", w -> w.failStatement(n)));
    }

    /** A message: its shape first, then what is done to it, which depends on how many recipients it has. */
    static Arbitrary<MessagePlan> messages() {
        Arbitrary<Integer> to = Arbitraries.integers().between(1, 3);
        Arbitrary<Boolean> perRecipient = Arbitraries.frequency(weighted(3, false), weighted(1, true));
        Arbitrary<Integer> extra = Arbitraries.frequency(weighted(3, 0), weighted(1, 1));
        return Combinators.combine(to, perRecipient, extra, extra)
                .flatAs((t, per, cc, bcc) -> plan(t, per, per ? 0 : cc, per ? 0 : bcc));
    }

    private static Arbitrary<MessagePlan> plan(int to, boolean perRecipient, int cc, int bcc) {
        int recipients = to + cc + bcc;
        Arbitrary<MessagePlan.Body> body = Arbitraries.frequency(
                weighted(4, MessagePlan.Body.TEXT),
                weighted(3, MessagePlan.Body.TEMPLATE_WITH_FALLBACK),
                weighted(3, MessagePlan.Body.TEMPLATE_ONLY));
        Arbitrary<Integer> attachment = Arbitraries.frequencyOf(
                weighted(60, Arbitraries.just(0)),
                weighted(36, Arbitraries.integers().between(1, 64 * 1024)),
                weighted(4, Arbitraries.integers().between(64 * 1024, 3 * 1024 * 1024)));
        Arbitrary<List<Fault>> faults = fault(recipients).list().ofMaxSize(3);
        Arbitrary<Set<Integer>> refused = Arbitraries.frequencyOf(
                weighted(6, Arbitraries.just(Set.<Integer>of())),
                weighted(1, Arbitraries.integers().between(0, recipients - 1).map(Set::of)));
        Arbitrary<MessagePlan.Rejection> rejection = Arbitraries.frequency(
                weighted(18, MessagePlan.Rejection.NONE),
                weighted(1, MessagePlan.Rejection.SMTP_ONLY),
                weighted(1, MessagePlan.Rejection.EVERY_PATH));
        Arbitrary<List<MessagePlan.RelayEnd>> ends = Arbitraries.frequencyOf(
                weighted(5, Arbitraries.just(List.<MessagePlan.RelayEnd>of())),
                weighted(
                        1,
                        Arbitraries.of(MessagePlan.RelayEnd.class)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(2)));
        Arbitrary<Boolean> poison = Arbitraries.frequency(weighted(40, false), weighted(1, true));
        return Combinators.combine(body, attachment, faults, faults, refused, rejection, ends, poison)
                .as((b, a, api, smtp, r, rej, e, p) ->
                        new MessagePlan(to, perRecipient, cc, bcc, b, a, api, smtp, r, rej, e, p));
    }

    private static Arbitrary<Fault> fault(int recipients) {
        Arbitrary<Fault.Kind> kind = Arbitraries.of(Fault.Kind.class);
        Arbitrary<Duration> retryAfter = Arbitraries.frequencyOf(
                weighted(1, Arbitraries.just((Duration) null)),
                weighted(1, Arbitraries.of(Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofMinutes(45))));
        Arbitrary<Integer> who = Arbitraries.frequencyOf(
                weighted(2, Arbitraries.just(-1)),
                weighted(1, Arbitraries.integers().between(0, recipients - 1)));
        return Combinators.combine(kind, who, retryAfter).as((k, r, after) -> {
            if (k == Fault.Kind.SLOW) {
                return Fault.whole(k);
            }
            return new Fault(k, r, k == Fault.Kind.RATE_LIMITED && r < 0 ? after : null);
        });
    }

    private static <T> net.jqwik.api.Tuple.Tuple2<Integer, T> weighted(int weight, T value) {
        return net.jqwik.api.Tuple.of(weight, value);
    }
}
