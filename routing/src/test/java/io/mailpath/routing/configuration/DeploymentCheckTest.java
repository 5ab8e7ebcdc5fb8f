package io.mailpath.routing.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.testing.MailpathDeployment;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A configuration mistake fails the deployment, naming the key, not the first send. Each case starts its own container
 * (Weld SE), since the container itself is what must refuse to start.
 */
class DeploymentCheckTest {
    @Test
    void anUnknownTransportNamesTheKeyAndWhatIsOnTheClassPath() {
        assertThatThrownBy(() -> deploy(Map.of("mailpath.transports", "memory,sendgrid")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("mailpath.transports names 'sendgrid'")
                .hasMessageContaining("found: ")
                .hasMessageContaining("memory-backup");
    }

    @Test
    void aMissingMailpathTransportNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> deploy(Map.of("mailpath.transports", "memory,smtp")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("add io.mailpath:mailpath-transport-smtp to the application");
    }

    @Test
    void aTransportListedTwiceIsRefused() {
        assertThatThrownBy(() -> deploy(Map.of("mailpath.transports", "memory,memory")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "mailpath.transports must be a comma-separated list naming each entry once, not 'memory,memory'");
    }

    @Test
    void anInvalidFailoverValueIsRefused() {
        assertThatThrownBy(() -> deploy(
                        Map.of("mailpath.transports", "memory", "mailpath.failover.rate-limit-max-wait-ms", "-1")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "mailpath.failover.rate-limit-max-wait-ms must be a number of milliseconds, 0 or greater, not '-1'");
    }

    @Test
    void inMemoryTransportsAreNeverUsedUnlessNamed() {
        // This class path has only the test kit's transports (negative priority): nothing to send through by default.
        assertThatThrownBy(() -> deploy(Map.of()))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("No Mailpath transport is on the class path");
    }

    @Test
    void aFaultToleranceTimeoutShorterThanTheTransportsOwnIsRefused() {
        assertThatThrownBy(() -> deploy(Map.of(
                        "mailpath.transports", "memory,memory-backup",
                        "mailpath.memory-backup.request-timeout-ms", "200000")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("io.mailpath.routing.SecondaryPath/send/Timeout/value is 150000 ms")
                .hasMessageContaining("'memory-backup' may take up to 200000 ms");
        assertThatThrownBy(() -> deploy(Map.of(
                        "mailpath.transports", "memory",
                        "mailpath.memory.request-timeout-ms", "60000",
                        "io.mailpath.routing.PrimaryPath/send/Timeout/value", "1",
                        "io.mailpath.routing.PrimaryPath/send/Timeout/unit", "MINUTES")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("io.mailpath.routing.PrimaryPath/send/Timeout/value is 60000 ms");
    }

    @Test
    void aLongerFaultToleranceTimeoutOrNoneAtAllDeploys() {
        deploy(Map.of(
                "mailpath.transports", "memory",
                "mailpath.memory.request-timeout-ms", "200000",
                "io.mailpath.routing.PrimaryPath/send/Timeout/value", "300000"));
        deploy(Map.of(
                "mailpath.transports", "memory",
                "mailpath.memory.request-timeout-ms", "200000",
                "io.mailpath.routing.PrimaryPath/send/Timeout/enabled", "false"));
    }

    /**
     * Fault Tolerance reads its own switches as MicroProfile Config reads a boolean: {@code off} or {@code 0} is false.
     * The deployment check reads them the same way, so that it neither refuses a setting Fault Tolerance takes nor
     * checks a timeout that is off.
     */
    @Test
    void faultTolerancesOwnSwitchesReadAsFaultToleranceReadsThem() {
        for (String off : new String[] {"off", "0", "no", "False"}) {
            deploy(Map.of(
                    "mailpath.transports", "memory",
                    "mailpath.memory.request-timeout-ms", "200000",
                    "io.mailpath.routing.PrimaryPath/send/Timeout/enabled", off));
        }
        assertThatThrownBy(() -> deploy(Map.of(
                        "mailpath.transports", "memory",
                        "mailpath.memory.request-timeout-ms", "200000",
                        "MP_Fault_Tolerance_NonFallback_Enabled", "no",
                        "io.mailpath.routing.PrimaryPath/send/Timeout/enabled", "on")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("io.mailpath.routing.PrimaryPath/send/Timeout/value is 150000 ms");
    }

    @Test
    void aValidConfigurationDeploys() {
        deploy(Map.of("mailpath.transports", "memory,memory-backup"));
    }

    /** Starts and stops a container with Mailpath's routing and this configuration. */
    private static void deploy(Map<String, String> values) {
        try (MailpathDeployment running = MailpathDeployment.start(values, weld -> weld)) {
            assertThat(running.running()).isTrue();
        }
    }
}
