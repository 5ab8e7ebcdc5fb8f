package io.mailpath.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** An outbox of a stream that {@code mailpath.streams} does not list fails clearly, naming the key. */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class OutboxStreamDeploymentTest {
    private static final Map<String, String> CONFIG = Map.of(
            "mailpath.transports", "memory",
            "mailpath.streams", "marketing",
            "mailpath.outbox.datasource", ContainerOutboxes.DATASOURCE,
            "mailpath.outbox.table", "stream_deployment_outbox");

    /** An application bean that injects the outbox of a stream nobody configured. */
    @ApplicationScoped
    public static class SeasonalCampaign {
        @Inject
        @MailStream("seasonal")
        MailOutbox outbox;
    }

    /** An application bean that injects the outbox of a configured stream. */
    @ApplicationScoped
    public static class Newsletter {
        @Inject
        @MailStream("marketing")
        MailOutbox outbox;

        String table() {
            return outbox.settings().table();
        }
    }

    @BeforeAll
    static void bind() {
        ContainerOutboxes.bindAll();
    }

    @Test
    void injectingTheOutboxOfAStreamNotConfiguredFailsTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> MailpathDeployment.start(CONFIG, weld -> weld.addBeanClasses(SeasonalCampaign.class))
                        .close())
                .hasMessageContaining("No Mailpath stream named 'seasonal'")
                .hasMessageContaining("mailpath.streams");
    }

    @Test
    void aLookupOfTheOutboxOfAStreamNotConfiguredFailsNamingTheKey() {
        try (MailpathDeployment app = MailpathDeployment.start(CONFIG, weld -> weld.addBeanClasses(Newsletter.class))) {
            assertThat(app.bean(Newsletter.class).table()).isEqualTo("stream_deployment_outbox");
            assertThatThrownBy(() -> app.bean(MailOutbox.class, MailStream.Literal.of("seasonal")))
                    .isInstanceOf(MailConfigurationException.class)
                    .hasMessageContaining("No Mailpath stream named 'seasonal'")
                    .hasMessageContaining("mailpath.streams");
        }
    }
}
