package io.mailpath.health.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.events.CanaryDelivered;
import io.mailpath.events.CanaryMissed;
import io.mailpath.health.MailpathReadinessCheck;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SentMail;
import io.mailpath.testing.SimulatedFailure;
import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * The canary on a clock the test moves: a canary through each path every minute, each expected delivered within two
 * minutes. Delivery events are fired as the webhook receiver fires them.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "mailpath.canary.to=seed@example.com",
            "mailpath.canary.from=canary@example.com",
            "mailpath.canary.interval-ms=60000",
            "mailpath.canary.delivery-window-ms=120000"
        })
@AddBeanClasses({VirtualTimeScheduler.class, CanaryEvents.class})
class CanaryTest {
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Duration WINDOW = Duration.ofMinutes(2);

    @Inject
    VirtualTimeScheduler time;

    @Inject
    CanaryEvents events;

    @Inject
    Event<DeliveryEvent> receiver;

    @Inject
    @Readiness
    MailpathReadinessCheck check;

    private final Mailbox primary = Mailbox.of("memory");
    private final Mailbox backup = Mailbox.of("memory-backup");

    private Map<String, Object> data() {
        HealthCheckResponse response = check.call();
        // A missed canary, or one path failing its canary, leaves readiness UP: another path can send.
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        return response.getData().orElseThrow();
    }

    private static String at(Duration sinceStart) {
        return VirtualTimeScheduler.START.plus(sinceStart).toString();
    }

    @Test
    void sendsThroughEachPathAloneEveryIntervalAMessageMarkedAsACanary() {
        assertThat(time.periods()).containsExactly(INTERVAL, INTERVAL);
        assertThat(primary.messages()).isEmpty();

        time.advance(INTERVAL);

        SentMail viaPrimary = primary.messages().get(0);
        assertThat(primary.messages()).hasSize(1);
        assertThat(backup.messages()).hasSize(1);
        assertThat(viaPrimary.mailId()).startsWith(Canary.ID_PREFIX);
        assertThat(viaPrimary.recipients()).containsExactly("seed@example.com");
        assertThat(viaPrimary.mail().from().email()).isEqualTo("canary@example.com");
        assertThat(viaPrimary.subject()).startsWith("Mailpath canary through memory");
        assertThat(viaPrimary.mail().headers()).containsEntry(Canary.HEADER, "memory");
        assertThat(viaPrimary.mail().metadata()).containsEntry(Canary.METADATA_KEY, "memory");
        assertThat(backup.messages().get(0).mail().metadata()).containsEntry(Canary.METADATA_KEY, "memory-backup");
        assertThat(data())
                .containsEntry("memory.canary.last-sent", at(INTERVAL))
                .containsEntry("memory.canary.last-sent.id", viaPrimary.mailId())
                .containsEntry("memory.canary.delivery-tracked", true)
                .containsEntry("memory.canary.pending", 1L)
                .containsEntry("memory-backup.canary.last-sent", at(INTERVAL))
                .doesNotContainKeys("memory.canary.last-delivered", "memory.canary.last-missed");

        time.advance(INTERVAL);
        assertThat(primary.messages()).hasSize(2);
        assertThat(primary.messages().get(1).mailId()).isNotEqualTo(viaPrimary.mailId());
        assertThat(data()).containsEntry("memory.canary.last-sent", at(INTERVAL.multipliedBy(2)));
    }

    @Test
    void aDeliveryEventWithinTheWindowMarksTheCanaryDelivered() {
        time.advance(INTERVAL);
        String id = primary.messages().get(0).mailId();

        // Mailtarget taking the message is not the proof; its delivery is.
        receiver.fire(Deliveries.of(DeliveryEvent.Type.INJECTED, id));
        assertThat(events.seen()).isEmpty();
        time.advance(Duration.ofSeconds(30));
        receiver.fire(Deliveries.of(DeliveryEvent.Type.DELIVERED, id));

        assertThat(events.seen())
                .containsExactly(new CanaryDelivered(
                        "memory", id, Instant.parse(at(INTERVAL)), WINDOW, Instant.parse(at(Duration.ofSeconds(90)))));
        assertThat(((CanaryDelivered) events.seen().get(0)).elapsed()).isEqualTo(Duration.ofSeconds(30));
        assertThat(data())
                .containsEntry("memory.canary.last-delivered", at(Duration.ofSeconds(90)))
                .containsEntry("memory.canary.last-delivered.id", id)
                .containsEntry("memory.canary.pending", 0L)
                .doesNotContainKey("memory-backup.canary.last-delivered");

        // Its window passes with nothing missed; the backup's canary, never delivered, is.
        time.advance(Duration.ofSeconds(90));
        assertThat(events.seen())
                .hasSize(2)
                .last()
                .isEqualTo(new CanaryMissed(
                        "memory-backup", backup.messages().get(0).mailId(), Instant.parse(at(INTERVAL)), WINDOW));
    }

    @Test
    void noDeliveryEventWithinTheWindowIsAMissedCanary() {
        time.advance(INTERVAL);
        String id = primary.messages().get(0).mailId();
        String backupId = backup.messages().get(0).mailId();

        time.advance(WINDOW.minusMillis(1));
        assertThat(events.seen()).isEmpty();

        time.advance(Duration.ofMillis(1));
        assertThat(events.seen())
                .containsExactlyInAnyOrder(
                        new CanaryMissed("memory", id, Instant.parse(at(INTERVAL)), WINDOW),
                        new CanaryMissed("memory-backup", backupId, Instant.parse(at(INTERVAL)), WINDOW));
        assertThat(data())
                .containsEntry("memory.canary.last-missed", at(INTERVAL.plus(WINDOW)))
                .containsEntry("memory.canary.last-missed.id", id)
                .containsEntry("memory.state", "UP")
                .doesNotContainKey("memory.canary.last-delivered");

        // A delivery event after the window changes nothing: the canary was missed.
        receiver.fire(Deliveries.of(DeliveryEvent.Type.DELIVERED, id));
        assertThat(data()).doesNotContainKey("memory.canary.last-delivered");
        assertThat(events.seen()).hasSize(2);
    }

    @Test
    void aFailedSendIsRecordedWithItsKindAndAwaitsNoDelivery() {
        primary.failNext(1, SimulatedFailure.unavailable());

        time.advance(INTERVAL);

        // The path alone: no retry, no failover to the backup, which got its own canary only.
        assertThat(primary.messages()).isEmpty();
        assertThat(backup.messages()).hasSize(1);
        assertThat(data())
                .containsEntry("memory.canary.last-send-failure", at(INTERVAL))
                .containsEntry("memory.canary.last-send-failure.kind", FailureKind.UNAVAILABLE.name())
                .containsEntry("memory.canary.pending", 0L)
                .containsEntry("memory.state", "DOWN")
                .containsEntry("memory.state.cause", "canary")
                .doesNotContainKey("memory.canary.last-sent");

        time.advance(WINDOW.minus(INTERVAL));
        assertThat(events.seen())
                .noneMatch(e -> e.transport().equals("memory") && e.sentAt().equals(Instant.parse(at(INTERVAL))));
        // The next interval's canary goes out as usual.
        assertThat(primary.messages()).hasSize(1);
    }

    @Test
    void withNoTrafficACanaryThatCannotBeSentThroughAnyPathMakesReadinessDownUntilOneIsSent() {
        primary.failNext(1, SimulatedFailure.unavailable());
        backup.failNext(1, SimulatedFailure.authentication());

        time.advance(INTERVAL);

        HealthCheckResponse down = check.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow())
                .containsEntry("memory.state", "DOWN")
                .containsEntry("memory.state.cause", "canary")
                .containsEntry("memory.last-failure.kind", "UNAVAILABLE")
                .containsEntry("memory-backup.state", "DOWN")
                .containsEntry("memory-backup.state.cause", "canary")
                .containsEntry("memory-backup.last-failure.kind", "AUTHENTICATION");

        // The next canaries go through: the paths can send again.
        time.advance(INTERVAL);
        assertThat(data())
                .containsEntry("memory.state", "UP")
                .containsEntry("memory-backup.state", "UP")
                .doesNotContainKeys("memory.state.cause", "memory-backup.state.cause");
    }

    @Test
    void aCanaryThatEveryPathRefusesShowsPathsThatAnswer() {
        primary.failNext(1, SimulatedFailure.rejected(550));
        backup.failNext(1, SimulatedFailure.rateLimited(null));

        time.advance(INTERVAL);

        assertThat(data())
                .containsEntry("memory.state", "UP")
                .containsEntry("memory.canary.last-send-failure.kind", "REJECTED")
                .containsEntry("memory-backup.state", "UP");
    }

    @Test
    void eventsForOtherMailAreIgnored() {
        time.advance(INTERVAL);

        receiver.fire(Deliveries.of(DeliveryEvent.Type.DELIVERED, "order-1042"));
        receiver.fire(Deliveries.of(DeliveryEvent.Type.DELIVERED, Canary.ID_PREFIX + "unknown"));

        assertThat(events.seen()).isEmpty();
        assertThat(data()).containsEntry("memory.canary.pending", 1L);
    }
}
