package io.mailpath.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Generated faults against the receiver on a real servlet container, with servers sharing one {@link EventIdStore}:
 * random batches (event types, ids repeated within and across batches), concurrent redeliveries of a batch, observers
 * that fail a random number of times per event, restarts, and servers that go down while an observer runs. Mailtarget
 * is modelled as it behaves: after the scenario it sends every batch that got no 2xx again, until one does.
 *
 * <p>The invariant: every event reached the observers successfully at least once, and no batch was answered 2xx
 * before each of its events had.
 */
@Tag("slow")
class ReceiverPropertiesTest {
    private static final List<String> STATUSES =
            List.of("Injection", "Delivery", "Delay", "Bounce", "hard_bounce", "Open", "Click", "out_of_band");
    /** How often Mailtarget's redelivery is modelled, at most, per batch: far more than the planned failures. */
    private static final int REDELIVERIES = 10;

    private static WeldContainer cdi;

    @BeforeContainer
    static void startCdi() {
        cdi = startCdiForScenarios();
    }

    /** The application of the scenarios: the chaos observer and a shared id store. */
    static WeldContainer startCdiForScenarios() {
        return new Weld()
                .disableDiscovery()
                .addBeanClasses(ChaosObserver.class, SharedEventIdStore.class)
                .initialize();
    }

    @AfterContainer
    static void stopCdi() {
        cdi.shutdown();
    }

    /** One event of a generated batch. */
    record Event(String id, String status) {}

    /** What the scenario does, in order, before Mailtarget settles. */
    sealed interface Action permits Post, Restart, Crash {}

    /** Mailtarget posts a batch, {@code copies} times at once (a redelivery racing the first attempt). */
    record Post(int batch, int copies) implements Action {}

    /** The server is restarted (a new receiver; the id store is shared and stays). */
    record Restart() implements Action {}

    /** The server goes down while an observer of the batch's first event runs; another one takes over. */
    record Crash(int batch) implements Action {}

    record Scenario(List<List<Event>> batches, Map<String, Integer> failures, List<Action> actions) {}

    @Property(tries = 150)
    void everyEventReachesTheObserversAndNoBatchIsAcknowledgedEarly(@ForAll("scenarios") Scenario scenario)
            throws Exception {
        assertThat(run(cdi, scenario)).isEmpty();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String> ids = Arbitraries.integers().between(0, 5).map(i -> "e" + i);
        Arbitrary<Event> events =
                Combinators.combine(ids, Arbitraries.of(STATUSES)).as(Event::new);
        Arbitrary<List<List<Event>>> batches =
                events.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Map<String, Integer>> failures =
                Arbitraries.maps(ids, Arbitraries.integers().between(1, 2)).ofMaxSize(6);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(
                        5,
                        Combinators.combine(
                                        Arbitraries.integers().between(0, 3),
                                        Arbitraries.integers().between(1, 3))
                                .as(Post::new)),
                Tuple.of(1, Arbitraries.just(new Restart())),
                Tuple.of(1, Arbitraries.integers().between(0, 3).map(Crash::new)));
        return Combinators.combine(batches, failures, action.list().ofMaxSize(6))
                .as(Scenario::new);
    }

    /** Runs a scenario and lets Mailtarget settle; returns the violations of the invariant. */
    static List<String> run(WeldContainer cdi, Scenario scenario) throws Exception {
        ChaosObserver observer = cdi.select(ChaosObserver.class).get();
        SharedEventIdStore store = cdi.select(SharedEventIdStore.class).get();
        observer.reset(scenario.failures());
        store.ids().clear();
        List<String> violations = new CopyOnWriteArrayList<>();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> attempts = new HashMap<>();
        List<Receiver> servers = new ArrayList<>();
        servers.add(new Receiver(Receiver.keys()));
        try {
            for (Action action : scenario.actions()) {
                if (action instanceof Post post) {
                    int b = post.batch() % scenario.batches().size();
                    List<CompletableFuture<?>> answers = new ArrayList<>();
                    for (int i = 0; i < post.copies(); i++) {
                        answers.add(post(scenario, b, attempts, current(servers), observer, violations, acknowledged));
                    }
                    for (CompletableFuture<?> answer : answers) {
                        answer.get(60, TimeUnit.SECONDS);
                    }
                } else if (action instanceof Restart) {
                    current(servers).close();
                    servers.set(servers.size() - 1, new Receiver(Receiver.keys()));
                } else if (action instanceof Crash crash) {
                    int b = crash.batch() % scenario.batches().size();
                    String first = scenario.batches().get(b).get(0).id();
                    CountDownLatch entered = observer.hangNext(first);
                    CompletableFuture<?> answer =
                            post(scenario, b, attempts, current(servers), observer, violations, acknowledged);
                    // Down once its observer hangs; when the event was not observed (a repeat), it just answered.
                    while (!entered.await(10, TimeUnit.MILLISECONDS)) {
                        if (answer.isDone() && observer.disarm(first, entered)) {
                            break;
                        }
                    }
                    // Its hung request stays; the next server takes the traffic.
                    servers.add(new Receiver(Receiver.keys()));
                }
            }
            // Mailtarget sends every batch that got no 2xx again, until one does.
            for (int b = 0; b < scenario.batches().size(); b++) {
                for (int i = 0; i < REDELIVERIES && !acknowledged.contains(b); i++) {
                    post(scenario, b, attempts, current(servers), observer, violations, acknowledged)
                            .get(60, TimeUnit.SECONDS);
                }
                if (!acknowledged.contains(b)) {
                    violations.add("batch " + b + " was never acknowledged");
                }
            }
            Set<String> all = scenario.batches().stream()
                    .flatMap(List::stream)
                    .map(Event::id)
                    .collect(Collectors.toSet());
            for (String id : all) {
                if (!observer.succeeded().contains(id)) {
                    violations.add("event " + id + " never reached the observers successfully");
                }
            }
            return violations;
        } finally {
            observer.releaseHung();
            for (Receiver server : servers) {
                server.close();
            }
        }
    }

    private static Receiver current(List<Receiver> servers) {
        return servers.get(servers.size() - 1);
    }

    /** Posts a batch; a 2xx is checked as it arrives: each of the batch's events must have been observed by then. */
    private static CompletableFuture<HttpResponse<String>> post(
            Scenario scenario,
            int b,
            Map<Integer, Integer> attempts,
            Receiver server,
            ChaosObserver observer,
            List<String> violations,
            Set<Integer> acknowledged) {
        int retryCount = attempts.merge(b, 1, Integer::sum) - 1;
        List<Event> batch = scenario.batches().get(b);
        StringBuilder body =
                new StringBuilder("{\"batchId\":\"b" + b + "\",\"retryCount\":" + retryCount + ",\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            Event e = batch.get(i);
            body.append(i == 0 ? "" : ",")
                    .append(Payloads.event(e.id(), e.status(), "r-" + e.id() + "@example.org", "m-" + e.id()));
        }
        body.append("]}");
        return server.postAsync(body.toString()).thenApply(response -> {
            if (response.statusCode() / 100 == 2) {
                for (Event e : batch) {
                    if (!observer.succeeded().contains(e.id())) {
                        violations.add("batch " + b + " acknowledged (" + response.statusCode() + " " + response.body()
                                + ") before event " + e.id() + " reached the observers");
                    }
                }
                acknowledged.add(b);
            }
            return response;
        });
    }
}
