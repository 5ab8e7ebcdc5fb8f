package io.mailpath.outbox.cdi;

import static io.mailpath.outbox.OutboxScenarios.mail;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxState;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import io.mailpath.testing.SentMail;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The relay runs {@value OutboxConfiguration#RELAY_CONCURRENCY} drains at once on the managed executor, and never
 * more: the transport holds every send in flight until the test lets one go, so the test sees how many sends the
 * drains have in flight at each step. The executor has more threads than the limit. The relay ticks often: on Derby a
 * drain whose claim lost every candidate to the others stops (its batch came back short), and a tick starts another.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class RelayConcurrencyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int ENTRIES = 10;

    private final Mailbox memory = Mailbox.of("memory");

    @BeforeAll
    static void bind() {
        ContainerOutboxes.bindAll();
    }

    @AfterEach
    void releaseHeldSends() {
        memory.clear();
    }

    @Test
    void byDefaultFourSendsAreInFlightAtOnceAndNeverFive() throws Exception {
        drainHeldOneByOne("default_concurrency_outbox", null, OutboxConfiguration.DEFAULT_RELAY_CONCURRENCY);
    }

    @Test
    void concurrencyOneSendsOneAtATime() throws Exception {
        drainHeldOneByOne("single_drain_outbox", "1", 1);
    }

    /**
     * Enqueues {@link #ENTRIES} entries (each claim takes one), then lets one held send go at a time: before each, as
     * many sends must be in flight as the limit allows and entries remain, no more once a drain was asked for and the
     * executor had every chance to start it, and over the whole drain never more.
     */
    private void drainHeldOneByOne(String table, String concurrency, int expected) throws Exception {
        Map<String, String> config = new HashMap<>(Map.of(
                "mailpath.transports", "memory",
                "mailpath.outbox.datasource", ContainerOutboxes.DATASOURCE,
                "mailpath.outbox.table", table,
                "mailpath.outbox.batch-size", "1",
                "mailpath.outbox.relay.interval-ms", "50"));
        if (concurrency != null) {
            config.put(OutboxConfiguration.RELAY_CONCURRENCY, concurrency);
        }
        memory.clear();
        memory.hold();
        try (MailpathDeployment app = MailpathDeployment.start(config, weld -> weld)) {
            MailOutbox outbox = app.bean(MailOutbox.class);
            for (int i = 0; i < ENTRIES; i++) {
                outbox.enqueue(mail(table + "-" + i));
            }
            OutboxRuntime relay = app.bean(OutboxRuntime.class);
            for (int delivered = 0; delivered < ENTRIES; delivered++) {
                int inFlight = Math.min(expected, ENTRIES - delivered);
                memory.awaitInFlight(inFlight, PATIENCE);
                // Asked for more while the limit is reached, and given every chance to start it: nothing more runs.
                relay.drainSoon();
                ContainerOutboxes.awaitExecutorSettled(memory::inFlight);
                assertThat(memory.inFlight()).isEqualTo(inFlight);
                memory.release(1);
                memory.await(delivered + 1, PATIENCE);
            }
            memory.releaseAll();

            assertThat(memory.mostInFlight()).isEqualTo(expected);
            assertThat(memory.messages()).extracting(SentMail::mailId).doesNotHaveDuplicates();
            for (int i = 0; i < ENTRIES; i++) {
                assertThat(ContainerOutboxes.awaitFinished(outbox, table + "-" + i)
                                .state())
                        .isEqualTo(OutboxState.DELIVERED);
            }
        }
    }
}
