package io.mailpath.health.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mailpath.testing.LogCapture;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathDeployment;
import io.mailpath.testing.MailpathTestExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The application stops while canaries await their delivery events, and cancelling the canary's periodic task throws
 * an {@link Error} (a class the stopped application class loader refuses): every delivery window is still cancelled,
 * a warning says what failed, and nothing escapes into the container's shutdown.
 */
@ResourceLock(MailpathTestExtension.SHARED_STATE)
class CanaryStopTest {
    @Test
    void aCancelThatThrowsAnErrorLeavesNoOtherTaskScheduled() {
        Mailbox.clearAll();
        CancelFailingScheduler.WINDOWS.set(0);
        CancelFailingScheduler.WINDOWS_CANCELLED.set(0);
        try (LogCapture log = new LogCapture()) {
            MailpathDeployment running = MailpathDeployment.start(
                    Map.of(
                            "mailpath.transports", "memory,memory-backup",
                            "mailpath.canary.to", "seed@example.com",
                            "mailpath.canary.from", "canary@example.com",
                            "mailpath.canary.interval-ms", "60000",
                            "mailpath.canary.delivery-window-ms", "120000"),
                    weld -> weld.addBeanClasses(CancelFailingScheduler.class, CanaryEvents.class));
            running.bean(CancelFailingScheduler.class).advance(Duration.ofMinutes(1));
            assertThat(CancelFailingScheduler.WINDOWS)
                    .as("canaries awaiting delivery")
                    .hasValue(2);

            assertThatCode(running::close).doesNotThrowAnyException();

            assertThat(CancelFailingScheduler.WINDOWS_CANCELLED)
                    .as("delivery windows cancelled")
                    .hasValue(2);
            assertThat(log.lines)
                    .filteredOn(l ->
                            l.text().contains("Mailpath canary") && l.text().contains("NoClassDefFoundError"))
                    .as("a warning for each cancel that failed")
                    .hasSize(2);
            assertThat(log.lines).as("nothing escapes into the CDI container").noneMatch(l -> l.text()
                    .contains("WELD-000019"));
        }
    }
}
