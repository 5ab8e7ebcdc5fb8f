package io.mailpath.routing.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.testing.MailpathDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stream's configuration mistake fails the deployment, naming the stream and the key. */
class StreamDeploymentCheckTest {
    private static final Map<String, String> TWO_STREAMS = Map.of(
            "mailpath.transports", "memory",
            "mailpath.streams", "transactional,marketing",
            "mailpath.stream.marketing.transports", "memory-backup");

    /** An application bean that injects a stream nobody configured. */
    @ApplicationScoped
    public static class NewsletterSender {
        @Inject
        @MailStream("newsletter")
        MailTransport newsletter;
    }

    @Test
    void injectingAStreamThatIsNotConfiguredFailsTheDeployment() {
        assertThatThrownBy(() -> deploy(TWO_STREAMS, NewsletterSender.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("No Mailpath stream named 'newsletter'")
                .hasMessageContaining("mailpath.streams");
    }

    @Test
    void aKeyForAStreamThatIsNotListedFailsTheDeployment() {
        assertThatThrownBy(() -> deploy(with("mailpath.stream.marketting.memory.request-timeout-ms", "100")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("mailpath.stream.marketting.memory.request-timeout-ms configures stream"
                        + " 'marketting', which mailpath.streams does not list");
    }

    @Test
    void anInvalidStreamNameIsRefused() {
        for (String names : new String[] {"Marketing", "default", "news letter", "x,x"}) {
            Map<String, String> values = new HashMap<>(TWO_STREAMS);
            values.put("mailpath.streams", names);
            values.remove("mailpath.stream.marketing.transports");
            assertThatThrownBy(() -> deploy(values))
                    .as(names)
                    .isInstanceOf(DeploymentException.class)
                    .hasMessageContaining("mailpath.streams must be");
        }
    }

    @Test
    void aStreamsWrongValueNamesTheStreamAndItsKey() {
        assertThatThrownBy(() -> deploy(with("mailpath.stream.marketing.failover.rate-limit-max-wait-ms", "-1")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(
                        "stream 'marketing': mailpath.stream.marketing.failover.rate-limit-max-wait-ms" + " must be");
        assertThatThrownBy(() -> deploy(with("mailpath.stream.marketing.transports", "memory,sendgrid")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("stream 'marketing': mailpath.stream.marketing.transports names 'sendgrid'");
        assertThatThrownBy(() -> deploy(with("mailpath.stream.transactional.memory.request-timeout-ms", "200000")))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("stream 'transactional': ")
                .hasMessageContaining("io.mailpath.routing.PrimaryPath/sendInStream/Timeout/value is 150000 ms")
                .hasMessageContaining("'memory' may take up to 200000 ms");
        // A named stream's first transport is guarded by sendInStream: its own timeout key is the one checked.
        Map<String, String> longer = with("mailpath.stream.transactional.memory.request-timeout-ms", "200000");
        longer.put("io.mailpath.routing.PrimaryPath/sendInStream/Timeout/value", "300000");
        deploy(longer);
    }

    @Test
    void twoValidStreamsDeploy() {
        deploy(TWO_STREAMS);
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>(TWO_STREAMS);
        values.put(key, value);
        return values;
    }

    private static void deploy(Map<String, String> values, Class<?>... beans) {
        try (MailpathDeployment running = MailpathDeployment.start(values, weld -> weld.addBeanClasses(beans))) {
            assertThat(running.running()).isTrue();
        }
    }
}
