package io.mailpath.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxScenarios;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Deployments the test starts itself: a configuration mistake, or a data source name that the server does not know,
 * fails the deployment naming the key; without the key the outbox is off and only an injection of it fails.
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
                        "Mailpath outbox configuration: mailpath.outbox.lease-ms is not a number of milliseconds: '5m'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.batch-size", "0")))
                .hasMessageContaining("mailpath.outbox.batch-size must be positive, not 0");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.create-schema", "yes")))
                .hasMessageContaining("mailpath.outbox.create-schema is not true or false: 'yes'");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.table", "mail outbox; drop")))
                .hasMessageContaining("mailpath.outbox.table: outbox table 'mail outbox; drop' is not an unquoted");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.max-backoff-ms", "1000")))
                .hasMessageContaining("mailpath.outbox.max-backoff-ms: outbox maxBackoff PT1S is shorter than");
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.relay.interval-ms", "-1")))
                .hasMessageContaining("mailpath.outbox.relay.interval-ms must be positive, not -1");
    }

    @Test
    void aDataSourceNameTheServerDoesNotKnowFailsTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> deploy(outbox("mailpath.outbox.datasource", "jdbc/missing")))
                .hasMessageContaining("mailpath.outbox.datasource names 'jdbc/missing', which cannot be looked up")
                .hasMessageContaining("jdbc/missing is not bound");
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
                    // Enqueued as another server would (no drain asked of this one): the tick sends it.
                    MailOutbox elsewhere = new MailOutbox(
                            ContainerOutboxes.TRANSACTIONS.dataSource(),
                            OutboxSettings.builder().table("deployment_outbox").build());
                    elsewhere.enqueue(OutboxScenarios.mail("enqueued-elsewhere"));
                    try {
                        assertThat(ContainerOutboxes.awaitFinished(elsewhere, "enqueued-elsewhere")
                                        .transport())
                                .isEqualTo("memory");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    assertThat(Mailbox.of("memory").withMailId("enqueued-elsewhere"))
                            .hasSize(1);
                },
                OrderService.class);
    }
}
