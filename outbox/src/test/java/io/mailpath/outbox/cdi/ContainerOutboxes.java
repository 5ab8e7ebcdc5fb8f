package io.mailpath.outbox.cdi;

import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxEntry;
import io.mailpath.outbox.OutboxState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * What the server around the outbox provides in these tests, bound where the outbox looks it up: the application's
 * data source on an in-memory Derby (enlisted in the test's transactions), the transaction registry, and a
 * scheduled executor standing in for the managed one.
 */
final class ContainerOutboxes {
    static final String DATASOURCE = "jdbc/outbox";

    static final TestTransactions TRANSACTIONS;

    /** More threads than any relay concurrency the tests set, so that only the relay's own limit bounds its drains. */
    static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(8, task -> {
        Thread t = new Thread(task, "test-managed-executor");
        t.setDaemon(true);
        return t;
    });

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
        EmbeddedDataSource database = new EmbeddedDataSource();
        database.setDatabaseName("memory:mailpath-outbox-cdi");
        database.setCreateDatabase("create");
        TRANSACTIONS = new TestTransactions(database);
    }

    private ContainerOutboxes() {}

    /** Binds the module's name, the data source, the transaction registry and the executor, as a server does. */
    static void bindAll() {
        TestNaming.bind(OutboxRuntime.MODULE_NAME, "outbox-test");
        TestNaming.bind(DATASOURCE, TRANSACTIONS.dataSource());
        TestNaming.bind(OutboxRuntime.TRANSACTION_REGISTRY, TRANSACTIONS);
        TestNaming.bind(OutboxRuntime.DEFAULT_EXECUTOR, EXECUTOR);
    }

    /**
     * Waits, on a generous deadline, until the executor has no task due that has not started, and every task it runs
     * is one of {@code held} (sends the transport holds): then every drain that was asked for has started, and is held
     * or done.
     */
    static void awaitExecutorSettled(IntSupplier held) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean noneWaiting = EXECUTOR.getQueue().stream()
                    .noneMatch(task -> ((Delayed) task).getDelay(TimeUnit.NANOSECONDS) <= 0);
            if (noneWaiting && EXECUTOR.getActiveCount() == held.getAsInt()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the executor did not settle within 60 s: " + EXECUTOR);
    }

    /** Waits, on a generous deadline, until the relay has delivered the entry or given it up. */
    static OutboxEntry awaitFinished(MailOutbox outbox, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<OutboxEntry> entry = outbox.entry(id);
            if (entry.isPresent() && entry.get().state() != OutboxState.PENDING) {
                return entry.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("outbox entry " + id + " still pending after 60 s: " + outbox.entry(id));
    }
}
