package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A wrong configuration fails the deployment, with a message that names the key, before any mail is sent. */
@ExtendWith(ArquillianExtension.class)
class BadConfigurationIT {
    @RegisterExtension
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "no-api-key", managed = false, testable = false)
    static WebArchive missingKey() {
        Map<String, String> config = PEERS.config();
        config.remove("mailpath.api.key");
        return Deployments.war("no-api-key", config);
    }

    @Deployment(name = "webhooks-no-password", managed = false, testable = false)
    static WebArchive webhooksWithoutPassword() {
        Map<String, String> config = PEERS.config();
        config.put("mailpath.webhooks.username", DeliveryWebhooksIT.USER);
        config.put("mailpath.webhooks.password", "");
        return Deployments.withWebhooks("webhooks-no-password", config);
    }

    /**
     * Deploys a wrongly configured application and checks, in the server's log, that it failed to start with a
     * message naming the key. Servers report a failed deployment differently to Arquillian (Liberty and WildFly throw,
     * Payara Micro returns), so the log is the common evidence: the server's own failure marker
     * ({@code it.deploy.failure.marker}) and Mailpath's message, both written during this deployment.
     */
    private void failsNaming(String deployment, String expected) throws Exception {
        failsNaming(deployment, expected, System.getProperty("it.deploy.failure.marker"));
    }

    private void failsNaming(String deployment, String expected, String marker) throws Exception {
        Path log = Path.of(System.getProperty("it.server.log"));
        long before = Files.exists(log) ? Files.size(log) : 0;
        try {
            deployer.deploy(deployment);
        } catch (Exception reported) {
            // Liberty and WildFly report the failure here (WildFly's DeploymentException is checked, thrown
            // undeclared); the log below is checked either way.
        }
        String written = awaitLog(log, before, expected);
        try {
            deployer.undeploy(deployment);
        } catch (Exception ignored) {
            // it never started
        }
        assertThat(written).contains(expected).contains(marker);
        assertThat(PEERS.smtp.received).isEmpty();
        assertThat(PEERS.api.server.getAllServeEvents()).isEmpty();
    }

    /** What the server logged since {@code from}, once it holds {@code expected} (or after 30 s). */
    private static String awaitLog(Path log, long from, String expected) throws Exception {
        String written = "";
        for (int i = 0; i < 300 && !written.contains(expected); i++) {
            if (Files.exists(log)) {
                byte[] all = Files.readAllBytes(log);
                written = new String(
                        all,
                        (int) Math.min(from, all.length),
                        (int) Math.max(0, all.length - from),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
            if (!written.contains(expected)) {
                Thread.sleep(100);
            }
        }
        return written;
    }

    @Test
    void aMissingApiKeyFailsTheDeployment() throws Exception {
        failsNaming("no-api-key", "Mailpath configuration: mailpath.api.key is required");
    }

    @Test
    void anEmptyWebhookPasswordFailsTheDeployment() throws Exception {
        // The receiver's servlet container initializer fails the web application's start, which each server reports
        // with its own marker (it.webapp.failure.marker).
        failsNaming(
                "webhooks-no-password",
                "Mailpath configuration: mailpath.webhooks.password is required",
                System.getProperty("it.webapp.failure.marker"));
    }
}
