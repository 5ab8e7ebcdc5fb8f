package io.mailpath.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxScenarios;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Deployments the test starts itself: a configuration mistake, or a data source name that the server does not know,
 * fails the deployment naming the key; without the key the outbox is off and only an injection of it fails. Where the
 * server binds the application's names only after CDI started (Payara Micro), the outbox starts once they are bound.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class OutboxDeploymentTest {
    /** An application bean that injects the outbox. */
    @ApplicationScoped
    public static class OrderService {
        @Inject
        MailOutbox outbox;

        String table() {
            return outbox.settings().table();
        }
    }

    @BeforeAll
    static void bind() {
        ContainerOutboxes.bindAll();
    }

    private static Map<String, String> outbox(String... more) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mailpath.transports", "memory",
                "mailpath.outbox.datasource", ContainerOutboxes.DATASOURCE,
                "mailpath.outbox.table", "deployment_outbox"));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return values;
    }

    /** Deploys the outbox (and {@code beans}) with this configuration, runs {@code check}, undeploys. */
    private static void deploy(Map<String, String> values, Consumer<MailpathDeployment> check, Class<?>... beans) {
        try (MailpathDeployment app = MailpathDeployment.start(values, weld -> weld.addBeanClasses(beans))) {
            check.accept(app);
        }
    }

    private static void deploy(Map<String, String> values, Class<?>... beans) {
        deploy(values, app -> {}, beans);
    }

    @Test
    void invalidValuesFailTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.lease-ms", "5m")))
                .hasMessageContaining(
                        "Mailpath outbox configuration: mailpath.outbox.lease-ms must be a number of milliseconds greater than 0,"
                                + " not '5m'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.batch-size", "0")))
                .hasMessageContaining(
                        "mailpath.outbox.batch-size must be a whole number from 1 to 2147483647, not '0'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.create-schema", "yes")))
                .hasMessageContaining("mailpath.outbox.create-schema must be true or false, not 'yes'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.table", "mail outbox; drop")))
                .hasMessageContaining("mailpath.outbox.table: outbox table 'mail outbox; drop' is not an unquoted");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.max-backoff-ms", "1000")))
                .hasMessageContaining("mailpath.outbox.max-backoff-ms: outbox maxBackoff PT1S is shorter than");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.relay.interval-ms", "-1")))
                .hasMessageContaining(
                        "mailpath.outbox.relay.interval-ms must be a number of milliseconds greater than 0, not '-1'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.relay.concurrency", "0")))
                .hasMessageContaining(
                        "Mailpath outbox configuration: mailpath.outbox.relay.concurrency must be a whole number from 1"
                                + " to 2147483647, not '0'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.relay.concurrency", "four")))
                .hasMessageContaining(
                        "mailpath.outbox.relay.concurrency must be a whole number from 1 to 2147483647, not 'four'");
    }

    /**
     * A lease shorter than the longest routed send lets another relay send again what is still under way: with two
     * transports and the routing's default Fault Tolerance settings a send may take 635 s, more than the 5 minutes
     * the lease once was by default. The default lease deploys.
     */
    @Test
    void aLeaseShorterThanTheLongestRoutedSendFailsTheDeploymentNamingBothFiguresAndTheKeys() {
        Map<String, String> twoPaths = outbox("mailpath.transports", "memory,memory-backup");
        deploy(twoPaths, app -> assertThat(app.bean(OutboxRuntime.class).relayRunning())
                .isTrue());

        Map<String, String> shortLease = new HashMap<>(twoPaths);
        shortLease.put("mailpath.outbox.lease-ms", "300000");
        assertThatThrownBy(() -> deploy(shortLease))
                .hasMessageContaining("Mailpath outbox configuration: MAILPATH-OUTBOX-LEASE: mailpath.outbox.lease-ms"
                        + " is 300000 ms, but one routed send may take up to 695000 ms")
                .hasMessageContaining("io.mailpath.routing.PrimaryPath/send/Timeout/value")
                .hasMessageContaining("mailpath.failover.rate-limit-max-wait-ms");

        // Shorter Fault Tolerance timeouts make the same lease enough; a server without a relay holds no lease.
        Map<String, String> shorterSends = new HashMap<>(shortLease);
        shorterSends.put("Timeout/value", "30000");
        deploy(shorterSends);
        shortLease.put("mailpath.outbox.relay.enabled", "false");
        deploy(shortLease);
    }

    @Test
    void aDataSourceNameTheServerDoesNotKnowFailsTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.datasource", "jdbc/missing")))
                .hasMessageContaining("mailpath.outbox.datasource names 'jdbc/missing', which cannot be looked up")
                .hasMessageContaining("jdbc/missing is not bound");
    }

    /** Waits, on a generous deadline, until the condition holds. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not " + what + " after 60 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Enqueues as another server would (no drain asked of this one): the relay's tick sends it. */
    private static void assertTheTickSends(String id) {
        MailOutbox elsewhere = new MailOutbox(
                ContainerOutboxes.TRANSACTIONS.dataSource(),
                OutboxSettings.builder().table("deployment_outbox").build());
        elsewhere.enqueue(OutboxScenarios.mail(id));
        try {
            assertThat(ContainerOutboxes.awaitFinished(elsewhere, id).transport())
                    .isEqualTo("memory");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(Mailbox.of("memory").withMailId(id)).hasSize(1);
    }

    /**
     * Deploys (with {@code OrderService}) on a server that binds the module's names only after CDI started the
     * application, as Payara Micro does: the module's name and the data source stay unbound until {@code check} binds
     * them.
     */
    private static void deployBeforeTheNamesAreBound(Map<String, String> values, Consumer<MailpathDeployment> check) {
        TestNaming.unbind(OutboxRuntime.MODULE_NAME);
        TestNaming.unbind(ContainerOutboxes.DATASOURCE);
        try {
            deploy(values, check, OrderService.class);
        } finally {
            ContainerOutboxes.bindAll();
        }
    }

    @Test
    void namesBoundOnlyAfterTheApplicationStartedStartTheOutboxOnceTheyAreBound() {
        deployBeforeTheNamesAreBound(outbox("mailpath.outbox.relay.interval-ms", "100"), app -> {
            OutboxRuntime runtime = app.bean(OutboxRuntime.class);
            assertThat(runtime.relayRunning()).isFalse();
            assertThat(runtime.waitingForNames()).isTrue();

            ContainerOutboxes.bindAll();
            await(runtime::relayRunning, "started");
            assertThat(runtime.waitingForNames()).isFalse();
            assertTheTickSends("sent-after-a-late-bind");
            assertThat(app.bean(OrderService.class).table()).isEqualTo("deployment_outbox");
        });
    }

    @Test
    void withoutARelayNothingWaitsForTheNamesAndTheFirstInjectionStartsTheOutbox() {
        deployBeforeTheNamesAreBound(outbox("mailpath.outbox.relay.enabled", "false"), app -> {
            OutboxRuntime runtime = app.bean(OutboxRuntime.class);
            assertThat(runtime.waitingForNames()).isFalse();

            ContainerOutboxes.bindAll();
            assertThat(app.bean(OrderService.class).table()).isEqualTo("deployment_outbox");
            assertThat(runtime.relayRunning()).isFalse();
        });
    }

    @Test
    void aDataSourceNameStillUnknownOnceTheNamesAreBoundFailsTheInjectionNamingTheKey() {
        deployBeforeTheNamesAreBound(outbox("mailpath.outbox.datasource", "jdbc/missing"), app -> {
            OutboxRuntime runtime = app.bean(OutboxRuntime.class);
            TestNaming.bind(OutboxRuntime.MODULE_NAME, "outbox-test");
            await(() -> !runtime.waitingForNames(), "given up");
            assertThat(runtime.relayRunning()).isFalse();
            assertThatThrownBy(() -> app.bean(OrderService.class).table())
                    .isInstanceOf(MailConfigurationException.class)
                    .hasMessageContaining("mailpath.outbox.datasource names 'jdbc/missing', which cannot be looked up");
        });
    }

    @Test
    void aRelayNeedsTheManagedScheduledExecutor() {
        TestNaming.unbind(OutboxRuntime.DEFAULT_EXECUTOR);
        try {
            assertThatThrownBy(() -> deploy(outbox()))
                    .hasMessageContaining("The outbox relay (off with mailpath.outbox.relay.enabled=false) needs"
                            + " Jakarta Concurrency's java:comp/DefaultManagedScheduledExecutorService");
            // A server that only enqueues needs none.
            deploy(outbox("mailpath.outbox.relay.enabled", "false"), app -> assertThat(
                            app.bean(OutboxRuntime.class).relayRunning())
                    .isFalse());
        } finally {
            ContainerOutboxes.bindAll();
        }
    }

    @Test
    void withoutADataSourceTheOutboxIsOffAndInjectingItFailsTheDeploymentNamingTheKey() {
        Map<String, String> off = outbox();
        off.remove("mailpath.outbox.datasource");
        deploy(off, app -> assertThat(app.bean(OutboxRuntime.class).relayRunning())
                .isFalse());
        assertThatThrownBy(() -> deploy(off, OrderService.class))
                .hasMessageContaining("Mailpath outbox configuration: " + OrderService.class.getName()
                        + " injects MailOutbox, which needs mailpath.outbox.datasource");
    }

    @Test
    void aConfiguredOutboxStartsItsRelayWhichDrainsAtEachTick() {
        deploy(
                outbox("mailpath.outbox.relay.interval-ms", "100"),
                app -> {
                    assertThat(app.bean(OutboxRuntime.class).relayRunning()).isTrue();
                    assertThat(app.bean(OrderService.class).table()).isEqualTo("deployment_outbox");
                    assertTheTickSends("enqueued-elsewhere");
                },
                OrderService.class);
    }
}
