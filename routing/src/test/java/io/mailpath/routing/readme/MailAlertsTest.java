package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.routing.PlainMemoryTransportProvider;
import io.mailpath.testing.LogCapture;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The after-the-send guide's {@link MailAlerts} hears of a failover. */
@MailpathTest(config = "mailpath.transports=api," + PlainMemoryTransportProvider.NAME)
class MailAlertsTest {
    @Inject
    MailTransport mail;

    @Inject
    MailAlerts alerts; // makes the observer a bean of the test's container

    @Test
    void aFailoverIsLogged() throws InterruptedException {
        Mailbox.of("api").failNext(3, SimulatedFailure.unavailable());
        try (LogCapture log = new LogCapture()) {
            Mail message = Mail.builder()
                    .id("order-7")
                    .from("shop@example.com")
                    .to("ann@example.com")
                    .subject("Order 7")
                    .text("Thanks.")
                    .build();
            mail.send(message);

            String expected = "Mail order-7: 'api' failed (UNAVAILABLE), delivered by '"
                    + PlainMemoryTransportProvider.NAME + "'";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30)); // the observer runs asynchronously
            while (log.lines.stream().noneMatch(line -> line.text().equals(expected))
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            assertThat(log.lines).extracting(LogCapture.Line::text).contains(expected);
        }
    }
}
