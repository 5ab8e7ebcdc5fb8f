package io.mailpath.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.webhooks.ReceiverPropertiesTest.Crash;
import io.mailpath.webhooks.ReceiverPropertiesTest.Event;
import io.mailpath.webhooks.ReceiverPropertiesTest.Scenario;
import java.util.List;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counterexamples {@link ReceiverPropertiesTest} shrank to on the receiver before issue 21, kept as plain tests. The
 * other one, two copies of a one-event batch at once ({@code Post[batch=0, copies=2]}, the second answered 200 as a
 * duplicate while the first was still observing), is a race: {@code
 * WebhookReceiverTest#aRepeatArrivingWhileTheFirstIsStillObservedIsNotAcknowledged} holds the first observer to make it
 * certain.
 */
class ReceiverCounterexamplesTest {
    private WeldContainer cdi;

    @BeforeEach
    void startCdi() {
        cdi = ReceiverPropertiesTest.startCdiForScenarios();
    }

    @AfterEach
    void stopCdi() {
        cdi.shutdown();
    }

    /** A server went down mid-observer after recording the id in the shared store: the redelivery was a duplicate. */
    @Test
    void aServerGoingDownMidObserver() throws Exception {
        Scenario scenario =
                new Scenario(List.of(List.of(new Event("e0", "Delivery"))), Map.of(), List.of(new Crash(0)));

        assertThat(ReceiverPropertiesTest.run(cdi, scenario)).isEmpty();
    }
}
