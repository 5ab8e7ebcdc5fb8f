package io.mailpath.outbox.cdi;

import static io.mailpath.outbox.OutboxScenarios.mail;
import static io.mailpath.outbox.cdi.ContainerOutboxes.TRANSACTIONS;
import static io.mailpath.outbox.cdi.ContainerOutboxes.awaitFinished;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import io.mailpath.outbox.OutboxState;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Inject MailOutbox} with its relay on the routed transport, in a CDI container in the test JVM. The relay's
 * tick is an hour away: whatever goes out within a test went out because an enqueue asked for a drain, right after
 * its transaction committed (or at once, without one).
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "mailpath.outbox.datasource=" + ContainerOutboxes.DATASOURCE,
            "mailpath.outbox.table=container_outbox",
            "mailpath.outbox.relay.interval-ms=3600000"
        })
class OutboxInContainerTest {
    @Inject
    MailOutbox outbox;

    @Inject
    OutboxDeaths deaths;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox backup = Mailbox.of("memory-backup");

    @BeforeAll
    static void bind() {
        ContainerOutboxes.bindAll();
    }

    @Test
    void anEnqueueIsSentRightAfterItsTransactionCommits() throws Exception {
        TRANSACTIONS.begin();
        outbox.enqueue(mail("committed"));
        assertThat(primary.messages()).as("nothing leaves before the commit").isEmpty();
        TRANSACTIONS.commit();

        OutboxEntry entry = awaitFinished(outbox, "committed");
        assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(entry.transport()).isEqualTo("memory");
        assertThat(primary.withMailId("committed")).hasSize(1);
    }

    @Test
    void anEnqueueRolledBackLeavesNoRowAndNothingIsSent() throws Exception {
        TRANSACTIONS.begin();
        outbox.enqueue(mail("rolled-back"));
        TRANSACTIONS.rollback();
        assertThat(outbox.entry("rolled-back")).isEmpty();

        // Without a transaction the row commits at once and is sent; the rolled-back one never was.
        outbox.enqueue(mail("auto-committed"));
        assertThat(awaitFinished(outbox, "auto-committed").state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(primary.messages()).extracting(m -> m.mailId()).containsExactly("auto-committed");
    }

    @Test
    void everyEnqueueOfOneTransactionIsSentAfterItsCommit() throws Exception {
        TRANSACTIONS.begin();
        for (int i = 0; i < 45; i++) {
            outbox.enqueue(mail("batch-" + i));
        }
        TRANSACTIONS.commit();
        // More than two batches of 20: the drain that the commit asked for goes on while batches come back full.
        for (int i = 0; i < 45; i++) {
            assertThat(awaitFinished(outbox, "batch-" + i).state()).isEqualTo(OutboxState.DELIVERED);
        }
        assertThat(primary.messages()).hasSize(45);
    }

    @Test
    void theRelaySendsThroughTheRoutedTransportWithItsFailover() throws Exception {
        primary.failNext(3, SimulatedFailure.unavailable());
        outbox.enqueue(mail("failed-over"));

        OutboxEntry entry = awaitFinished(outbox, "failed-over");
        assertThat(entry.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(entry.transport()).isEqualTo("memory-backup");
        assertThat(backup.withMailId("failed-over")).hasSize(1);
    }

    @Test
    void eachDeathIsACdiEvent() throws Exception {
        primary.failNext(1, SimulatedFailure.rejected(422));
        outbox.enqueue(mail("rejected"));

        OutboxEntry dead = deaths.awaitFirst().entry();
        assertThat(dead.id()).isEqualTo("rejected");
        assertThat(dead.state()).isEqualTo(OutboxState.DEAD);
        assertThat(dead.lastFailure()).isEqualTo(FailureKind.REJECTED);
        assertThat(outbox.deadEntries(10)).extracting(OutboxEntry::id).contains("rejected");
        assertThat(deaths.all()).hasSize(1);
    }
}
