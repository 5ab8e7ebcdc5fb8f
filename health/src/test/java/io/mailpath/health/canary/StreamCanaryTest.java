package io.mailpath.health.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.MailStream;
import io.mailpath.events.CanaryDelivered;
import io.mailpath.events.CanaryEvent;
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
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * A canary per stream: the shared canary keys give every stream its own canary, through its own transports, and
 * marketing overrides its sender and interval through its overlay. Transactional sends through {@code memory} like
 * the unnamed stream (one mailbox, two instances); marketing through {@code memory-backup}.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory",
            "mailpath.stream.marketing.transports=memory-backup",
            "mailpath.canary.to=seed@example.com",
            "mailpath.canary.from=canary@example.com",
            "mailpath.canary.interval-ms=60000",
            "mailpath.canary.delivery-window-ms=120000",
            "mailpath.stream.marketing.canary.from=canary@news.example.com",
            "mailpath.stream.marketing.canary.interval-ms=180000"
        })
@AddBeanClasses({VirtualTimeScheduler.class, CanaryEvents.class})
class StreamCanaryTest {
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Duration MARKETING_INTERVAL = Duration.ofMinutes(3);
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

    @Inject
    Canary canary;

    private final Mailbox memory = Mailbox.of("memory");
    private final Mailbox marketing = Mailbox.of("memory-backup");

    private Map<String, Object> data() {
        HealthCheckResponse response = check.call();
        // Marketing's canary failing leaves readiness UP: the other streams can send.
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        return response.getData().orElseThrow();
    }

    private static String at(Duration sinceStart) {
        return VirtualTimeScheduler.START.plus(sinceStart).toString();
    }

    private static String streamOf(SentMail sent) {
        return sent.mail().stream();
    }

    @Test
    void eachStreamHasItsOwnCanaryThroughItsOwnTransportsWithItsOwnSettings() {
        assertThat(canary.running(MailStream.DEFAULT)).isTrue();
        assertThat(canary.running("transactional")).isTrue();
        assertThat(canary.running("marketing")).isTrue();
        assertThat(time.periods()).containsExactlyInAnyOrder(INTERVAL, INTERVAL, MARKETING_INTERVAL);

        time.advance(INTERVAL);

        // The unnamed stream's canary and transactional's, each through its own instance of memory
        assertThat(memory.messages())
                .extracting(StreamCanaryTest::streamOf)
                .containsExactlyInAnyOrder(MailStream.DEFAULT, "transactional");
        assertThat(marketing.messages()).isEmpty();
        SentMail transactional = memory.messages().stream()
                .filter(m -> streamOf(m).equals("transactional"))
                .findFirst()
                .orElseThrow();
        assertThat(transactional.mail().metadata()).containsEntry(Canary.METADATA_KEY, "memory");
        assertThat(transactional.mail().from().email()).isEqualTo("canary@example.com");
        assertThat(transactional.subject()).startsWith("Mailpath canary through memory of stream transactional");

        time.advance(MARKETING_INTERVAL.minus(INTERVAL));

        assertThat(marketing.messages()).hasSize(1);
        SentMail viaMarketing = marketing.messages().get(0);
        assertThat(viaMarketing.mail().from().email()).isEqualTo("canary@news.example.com");
        assertThat(viaMarketing.recipients()).containsExactly("seed@example.com");
        assertThat(streamOf(viaMarketing)).isEqualTo("marketing");
        assertThat(viaMarketing.mail().metadata()).containsEntry(Canary.METADATA_KEY, "memory-backup");
        assertThat(data())
                .containsEntry("memory.canary.last-sent", at(MARKETING_INTERVAL))
                .containsEntry("stream.transactional.memory.canary.last-sent", at(MARKETING_INTERVAL))
                .containsEntry("stream.transactional.memory.canary.pending", 2L)
                .containsEntry("stream.marketing.memory-backup.canary.last-sent", at(MARKETING_INTERVAL))
                .containsEntry("stream.marketing.memory-backup.canary.last-sent.id", viaMarketing.mailId())
                .containsEntry("stream.marketing.memory-backup.canary.pending", 1L)
                .doesNotContainKeys("memory-backup.canary.last-sent", "stream.marketing.memory.canary.last-sent");
    }

    @Test
    void aStreamsCanaryEventsCarryTheStream() {
        time.advance(MARKETING_INTERVAL);
        String id = marketing.messages().get(0).mailId();

        time.advance(Duration.ofSeconds(30));
        receiver.fire(Deliveries.of(DeliveryEvent.Type.DELIVERED, id));

        Instant sent = Instant.parse(at(MARKETING_INTERVAL));
        assertThat(events.seen())
                .contains(new CanaryDelivered(
                        "memory-backup",
                        id,
                        sent,
                        WINDOW,
                        Instant.parse(at(MARKETING_INTERVAL.plusSeconds(30))),
                        "marketing"));
        assertThat(data())
                .containsEntry("stream.marketing.memory-backup.canary.last-delivered.id", id)
                .containsEntry("stream.marketing.memory-backup.canary.pending", 0L);

        // Transactional's first canary, never delivered, is missed as transactional's; the unnamed stream's as its own.
        List<CanaryEvent> missed = events.seen().stream()
                .filter(CanaryMissed.class::isInstance)
                .filter(e -> e.sentAt().equals(Instant.parse(at(INTERVAL))))
                .toList();
        assertThat(missed)
                .extracting(CanaryEvent::stream)
                .containsExactlyInAnyOrder(MailStream.DEFAULT, "transactional");
        assertThat(missed).extracting(CanaryEvent::transport).containsOnly("memory");
    }

    @Test
    void aStreamsFailedCanaryCountsAgainstThatStreamsPathOnly() {
        time.advance(MARKETING_INTERVAL.minus(Duration.ofSeconds(1)));
        marketing.failNext(1, SimulatedFailure.authentication());

        time.advance(Duration.ofSeconds(1));

        assertThat(data())
                .containsEntry("stream.marketing.state", "DOWN")
                .containsEntry("stream.marketing.memory-backup.state", "DOWN")
                .containsEntry("stream.marketing.memory-backup.state.cause", "canary")
                .containsEntry("stream.marketing.memory-backup.canary.last-send-failure.kind", "AUTHENTICATION")
                .containsEntry("stream.transactional.state", "UP")
                .containsEntry("stream.transactional.memory.state", "UP")
                .containsEntry("memory.state", "UP");

        // Marketing's next canary goes through: its path can send again.
        time.advance(MARKETING_INTERVAL);
        assertThat(data())
                .containsEntry("stream.marketing.state", "UP")
                .doesNotContainKey("stream.marketing.memory-backup.state.cause");
    }
}
