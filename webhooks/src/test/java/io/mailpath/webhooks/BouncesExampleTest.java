package io.mailpath.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.webhooks.readme.Bounces;
import io.mailpath.webhooks.readme.Suppressions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The after-the-send guide's webhook example: the bounce batch it shows, posted to the real receiver, reaches its
 * {@link Bounces} observer as a hard bounce; and the guide shows the batches the tests post, as they are.
 */
class BouncesExampleTest {
    private static final Path GUIDE = Path.of("..", "docs", "guides", "after-the-send.md");

    /** The application's suppression list, kept in memory. */
    @ApplicationScoped
    static class RecordedSuppressions implements Suppressions {
        private final List<String> added = new CopyOnWriteArrayList<>();

        List<String> added() {
            return added;
        }

        @Override
        public void add(String address, String mailId) {
            added.add(address + " " + mailId);
        }
    }

    private WeldContainer cdi;
    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        cdi = new Weld()
                .disableDiscovery()
                .addBeanClasses(Bounces.class, RecordedSuppressions.class)
                .initialize();
        receiver = new Receiver(Receiver.keys());
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        cdi.shutdown();
    }

    @Test
    void aHardBounceIsSuppressed() throws Exception {
        HttpResponse<String> response = receiver.post(Payloads.read("mailtarget-bounce-batch.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cdi.select(RecordedSuppressions.class).get().added())
                .containsExactly("gone@example.org order-1235-receipt");
    }

    @Test
    void theGuideShowsTheBatchesAsTheTestsPostThem() throws Exception {
        String guide = Files.readString(GUIDE);

        assertThat(guide).contains("```json\n" + Payloads.read("mailtarget-batch.json"));
        assertThat(guide).contains("```json\n" + Payloads.read("mailtarget-bounce-batch.json"));
    }
}
