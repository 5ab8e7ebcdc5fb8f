package io.mailpath.health.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.health.MailpathReadinessCheck;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What only a container the test starts itself shows: a configuration mistake fails the deployment naming the key,
 * and without the webhooks module the canary sends and reports that it sent, nothing more.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class CanaryDeploymentTest {
    private static final ClassLoader WITH_WEBHOOKS = CanaryDeploymentTest.class.getClassLoader();

    private static Map<String, String> canary(String... more) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mailpath.transports", "memory,memory-backup",
                "mailpath.canary.to", "seed@example.com",
                "mailpath.canary.from", "canary@example.com",
                "mailpath.canary.interval-ms", "60000"));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return values;
    }

    /**
     * Starts a deployment with this configuration, the canary's scheduler on virtual time and an observer of its
     * events; {@code application} stands for the application's class loader.
     */
    private static MailpathDeployment start(Map<String, String> values, ClassLoader application) {
        Mailbox.clearAll();
        return MailpathDeployment.start(
                values,
                weld -> weld.addBeanClasses(VirtualTimeScheduler.class, CanaryEvents.class),
                new CanaryExtension(application));
    }

    private static void deploy(Map<String, String> values) {
        try (MailpathDeployment ignored = start(values, WITH_WEBHOOKS)) {
            // Started: nothing more to see.
        }
    }

    @Test
    void aCanaryWithoutASenderFailsTheDeploymentNamingTheKey() {
        Map<String, String> values = canary();
        values.remove("mailpath.canary.from");
        assertThatThrownBy(() -> deploy(values))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "Mailpath canary configuration: mailpath.canary.from is required with" + " mailpath.canary.to");
    }

    @Test
    void invalidValuesFailTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> deploy(canary("mailpath.canary.from", "not an address")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("mailpath.canary.from must be an email address");
        assertThatThrownBy(() -> deploy(canary("mailpath.canary.to", "seed@")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("mailpath.canary.to must be an email address");
        assertThatThrownBy(() -> deploy(canary("mailpath.canary.interval-ms", "5m")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "mailpath.canary.interval-ms must be a number of milliseconds greater than 0, not '5m'");
        assertThatThrownBy(() -> deploy(canary("mailpath.canary.delivery-window-ms", "0")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "mailpath.canary.delivery-window-ms must be a number of milliseconds greater than 0, not '0'");
        assertThatThrownBy(() -> deploy(canary("mailpath.canary.paths", "memory,sendgrid")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "mailpath.canary.paths names 'sendgrid', which is no transport on the class" + " path");
        assertThatThrownBy(() -> deploy(canary("mailpath.canary.paths", "memory, memory")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("mailpath.canary.paths must be a comma-separated list naming each entry once");
    }

    @Test
    void aStreamsOwnCanaryKeysAreCheckedWhenDeployedNamingTheStream() {
        Map<String, String> streams = canary(
                "mailpath.streams", "marketing",
                "mailpath.stream.marketing.transports", "memory",
                "mailpath.stream.marketing.canary.paths", "memory,sendgrid");
        assertThatThrownBy(() -> deploy(streams))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("stream 'marketing': mailpath.canary.paths names 'sendgrid'");

        streams.put("mailpath.stream.marketing.canary.paths", "memory");
        streams.put("mailpath.stream.marketing.canary.from", "not an address");
        assertThatThrownBy(() -> deploy(streams))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("canary.from must be an email address");
    }

    @Test
    void aRequiredStreamThatIsNotConfiguredFailsTheDeployment() {
        assertThatThrownBy(() -> deploy(canary(
                        "mailpath.streams", "transactional",
                        "mailpath.stream.transactional.transports", "memory",
                        "mailpath.health.required-streams", "transactionnal")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("Mailpath health configuration: mailpath.health.required-streams");
    }

    @Test
    void withoutASeedAddressThereIsNoCanary() {
        Map<String, String> values = canary("mailpath.canary.from", "not checked: the canary is off");
        values.remove("mailpath.canary.to");
        try (MailpathDeployment app = start(values, WITH_WEBHOOKS)) {
            assertThat(app.bean(Canary.class).running()).isFalse();
            assertThat(app.bean(VirtualTimeScheduler.class).periods()).isEmpty();
            assertThat(app.bean(MailpathReadinessCheck.class, Readiness.Literal.INSTANCE)
                            .call()
                            .getData()
                            .orElseThrow())
                    .doesNotContainKeys("memory.canary.last-sent", "memory.canary.delivery-tracked");
        }
    }

    @Test
    void theConfiguredPathsOnlyAndWithoutWebhooksSentIsAllItReports() throws Exception {
        // A loader that sees only the JDK: the application has no mailpath-webhooks.
        try (URLClassLoader jdkOnly = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
                MailpathDeployment app = start(
                        canary("mailpath.canary.paths", "memory-backup", "mailpath.canary.delivery-window-ms", "1"),
                        jdkOnly)) {
            VirtualTimeScheduler time = app.bean(VirtualTimeScheduler.class);

            time.advance(Duration.ofMinutes(1));
            time.advance(Duration.ofMinutes(10));

            assertThat(Mailbox.of("memory").messages()).isEmpty();
            assertThat(Mailbox.of("memory-backup").messages()).hasSize(11);
            assertThat(app.bean(CanaryEvents.class).seen()).isEmpty();
            assertThat(app.bean(MailpathReadinessCheck.class, Readiness.Literal.INSTANCE)
                            .call()
                            .getData()
                            .orElseThrow())
                    .containsEntry("memory-backup.canary.delivery-tracked", false)
                    .containsEntry("memory-backup.canary.last-sent", "2026-11-22T12:11:00Z")
                    .doesNotContainKeys(
                            "memory-backup.canary.pending",
                            "memory-backup.canary.last-missed",
                            "memory.canary.delivery-tracked");
        }
        assertThat(CanaryExtension.loadable(CanaryExtension.DELIVERY_EVENT_CLASS, WITH_WEBHOOKS))
                .isTrue();
    }
}
