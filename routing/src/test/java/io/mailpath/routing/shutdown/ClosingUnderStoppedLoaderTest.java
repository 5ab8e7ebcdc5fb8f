package io.mailpath.routing.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mailpath.testing.LogCapture;
import io.mailpath.testing.MailpathDeployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One transport's close fails with an {@link Error} (a {@link NoClassDefFoundError}, as when Payara Micro 7 has
 * stopped the application's class loader before CDI shuts down): every other transport, of every stream, is still
 * closed, a warning names the one that failed, and nothing escapes into the container's shutdown.
 */
class ClosingUnderStoppedLoaderTest {
    @Test
    void aTransportWhoseCloseThrowsAnErrorKeepsNoOtherOpen() {
        CountedTransportProvider.CREATED.set(0);
        CountedTransportProvider.CLOSED.set(0);
        try (LogCapture log = new LogCapture()) {
            MailpathDeployment running = MailpathDeployment.start(
                    Map.of(
                            "mailpath.transports",
                                    UnclosableTransportProvider.NAME + "," + CountedTransportProvider.NAME,
                            "mailpath.streams", "marketing",
                            "mailpath.stream.marketing.transports",
                                    UnclosableTransportProvider.NAME + "," + CountedTransportProvider.NAME),
                    weld -> weld);
            assertThat(CountedTransportProvider.CREATED).hasValue(2);

            assertThatCode(running::close).doesNotThrowAnyException();

            assertThat(CountedTransportProvider.CLOSED)
                    .as("transports closed after another's close failed")
                    .hasValue(2);
            assertThat(log.lines)
                    .filteredOn(l -> l.text()
                            .contains("Closing Mailpath transport '" + UnclosableTransportProvider.NAME + "' failed"))
                    .as("a warning for each stream's failed close")
                    .hasSize(2)
                    .allSatisfy(l -> assertThat(l.text()).contains("NoClassDefFoundError"));
            assertThat(log.lines)
                    .as("no observer failure reaches the CDI container")
                    .noneMatch(l -> l.text().contains("WELD-000136"));
        }
    }
}
