package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A wrong configuration fails the deployment, with a message that names the key, before any mail is sent. */
@ExtendWith(ArquillianExtension.class)
class BadConfigurationIT {
    static final TestPeers PEERS = new TestPeers();

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "no-api-key", managed = false, testable = false)
    static WebArchive missingKey() {
        Map<String, String> config = PEERS.config();
        config.remove("mailpath.api.key");
        return Deployments.war("no-api-key", config);
    }

    @Deployment(name = "unknown-transport", managed = false, testable = false)
    static WebArchive unknownTransport() {
        Map<String, String> config = PEERS.config();
        config.put("mailpath.transports", "api,sendgrid");
        return Deployments.war("unknown-transport", config);
    }

    @Deployment(name = "plain-http", managed = false, testable = false)
    static WebArchive plainHttp() {
        Map<String, String> config = PEERS.config();
        config.remove("mailpath.api.insecure-allow-http");
        return Deployments.war("plain-http", config);
    }

    @AfterAll
    static void stopPeers() {
        PEERS.close();
    }

    private void failsNaming(String deployment, String expected) throws Exception {
        assertThatThrownBy(() -> deployer.deploy(deployment)).isInstanceOf(Exception.class);
        try {
            deployer.undeploy(deployment);
        } catch (RuntimeException ignored) {
            // it never started
        }
        Path log = Path.of(
                System.getProperty("wlp.home"),
                "usr",
                "servers",
                System.getProperty("liberty.server.name"),
                "logs",
                "messages.log");
        assertThat(Files.readString(log)).contains(expected);
        assertThat(PEERS.smtp.received).isEmpty();
        assertThat(PEERS.api.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMissingApiKeyFailsTheDeployment() throws Exception {
        failsNaming("no-api-key", "Mailpath configuration: mailpath.api.key is required");
    }

    @Test
    void anUnknownTransportFailsTheDeployment() throws Exception {
        failsNaming("unknown-transport", "mailpath.transports names 'sendgrid'");
    }

    @Test
    void anInsecureUrlWithoutTheOptInFailsTheDeployment() throws Exception {
        failsNaming("plain-http", "mailpath.api.url is a plain http:// URL");
    }
}
