package io.mailpath.telemetry;

import static io.mailpath.telemetry.SendTelemetryTest.message;
import static io.mailpath.telemetry.TelemetryNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailRejectedException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.routing.StreamTransports;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * Sends through a named stream ({@code @MailStream("marketing") MailTransport}, which calls the router's
 * {@code send(stream, mail)}) are traced and counted as the unnamed stream's are, each with its stream; the unnamed
 * stream's with none, as before streams existed. Real routing (Weld, SmallRye Fault Tolerance), the in-memory transports,
 * the OpenTelemetry SDK's in-memory reader and exporter.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            "mailpath.streams=marketing",
            // See FaultToleranceMeter
            "MP_Fault_Tolerance_Metrics_Enabled=false"
        })
@AddBeanClasses({
    MailTelemetry.class,
    TracedMailTransport.class,
    TracedStreamSender.class,
    InMemoryOpenTelemetry.class,
    FaultToleranceMeter.class,
    SendTelemetryTest.CurrentSpanAtSend.class
})
class StreamTelemetryTest {
    private static final AttributeKey<String> STREAM_KEY = AttributeKey.stringKey(STREAM);

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Inject
    MailTransport unnamed;

    @Inject
    StreamTransports streams;

    @Inject
    InMemoryOpenTelemetry otel;

    @Inject
    SendTelemetryTest.CurrentSpanAtSend sendingThread;

    private SpanData onlySpan() {
        assertThat(otel.finishedSpans()).hasSize(1);
        return otel.finishedSpans().get(0);
    }

    private static List<String> attemptEvents(SpanData span) {
        return span.getEvents().stream()
                .filter(e -> e.getName().equals(ATTEMPT_EVENT))
                .map(EventData::getAttributes)
                .map(a -> a.get(AttributeKey.stringKey(TRANSPORT)) + ":" + a.get(AttributeKey.stringKey(OUTCOME)))
                .toList();
    }

    @Test
    void aNamedStreamsSendIsOneSpanAndItsCountsCarryTheStream() {
        SendReceipt receipt = marketing.send(message("ann@example.com"));

        assertThat(receipt.stream()).isEqualTo("marketing");
        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo(SEND_SPAN);
        assertThat(span.getAttributes().get(STREAM_KEY)).isEqualTo("marketing");
        assertThat(span.getAttributes().get(AttributeKey.stringKey(MAIL_ID))).isEqualTo(receipt.mailId());
        assertThat(span.getAttributes().get(AttributeKey.stringKey(TRANSPORT))).isEqualTo("memory");
        assertThat(attemptEvents(span)).containsExactly("memory:delivered");
        // Current on the sending thread while the router sent: the REST client's spans would be its children.
        assertThat(sendingThread.seen()).isEqualTo(span.getSpanContext());
        assertThat(otel.count(ATTEMPTS, attempt("marketing", "memory", DELIVERED)))
                .isEqualTo(1);
        assertThat(otel.histogramCount(ATTEMPT_DURATION, attempt("marketing", "memory", DELIVERED)))
                .isEqualTo(1);
        assertThat(otel.count(MESSAGES, attempt("marketing", "memory", DELIVERED)))
                .isEqualTo(1);
        assertThat(otel.count(MESSAGES, attempt(MailStream.DEFAULT, "memory", DELIVERED)))
                .isZero();
    }

    @Test
    void eachStreamIsCountedAndTracedApart() {
        SendReceipt viaUnnamed = unnamed.send(message("bob@example.com"));
        SendReceipt viaMarketing = marketing.send(message("cy@example.com"));
        marketing.send(message("dee@example.com"));

        assertThat(otel.count(MESSAGES, attempt(MailStream.DEFAULT, "memory", DELIVERED)))
                .isEqualTo(1);
        assertThat(otel.count(MESSAGES, attempt("marketing", "memory", DELIVERED)))
                .isEqualTo(2);
        assertThat(otel.finishedSpans()).hasSize(3);
        assertThat(otel.finishedSpans())
                .filteredOn(s -> viaUnnamed.mailId().equals(s.getAttributes().get(AttributeKey.stringKey(MAIL_ID))))
                .singleElement()
                .satisfies(s -> assertThat(s.getAttributes().get(STREAM_KEY)).isNull());
        assertThat(otel.finishedSpans())
                .filteredOn(s -> viaMarketing.mailId().equals(s.getAttributes().get(AttributeKey.stringKey(MAIL_ID))))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.getAttributes().get(STREAM_KEY)).isEqualTo("marketing");
                    assertThat(attemptEvents(s)).containsExactly("memory:delivered");
                });
    }

    @Test
    void aFailoverInANamedStreamIsCountedWithItsStream() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());

        SendReceipt receipt = marketing.send(message("eve@example.com"));

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(otel.count(ATTEMPTS, attempt("marketing", "memory", "uncertain")))
                .isEqualTo(1);
        assertThat(otel.count(
                        FAILOVERS,
                        Attributes.of(
                                STREAM_KEY,
                                "marketing",
                                AttributeKey.stringKey(TRANSPORT),
                                "memory",
                                AttributeKey.stringKey(OUTCOME),
                                "uncertain",
                                AttributeKey.stringKey(DELIVERED_BY),
                                "memory-backup")))
                .isEqualTo(1);
        assertThat(otel.count(
                        POSSIBLE_DUPLICATES,
                        Attributes.of(STREAM_KEY, "marketing", AttributeKey.stringKey(TRANSPORT), "memory-backup")))
                .isEqualTo(1);
        SpanData span = onlySpan();
        assertThat(attemptEvents(span)).containsExactly("memory:uncertain", "memory-backup:delivered");
        assertThat(span.getAttributes().get(AttributeKey.booleanKey(POSSIBLE_DUPLICATE)))
                .isTrue();
    }

    @Test
    void aFailedSendInANamedStreamIsAnErrorSpanWithItsStream() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.rejected(422));

        assertThatThrownBy(() -> marketing.send(message("fay@example.com"))).isInstanceOf(MailRejectedException.class);

        assertThat(otel.count(MESSAGES, attempt("marketing", "memory", "rejected")))
                .isEqualTo(1);
        SpanData span = onlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(STREAM_KEY)).isEqualTo("marketing");
        assertThat(attemptEvents(span)).containsExactly("memory:rejected");
    }

    @Test
    void aNamedStreamsSendAsyncIsOneSpanEndedWithTheStage() throws Exception {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());

        SendReceipt receipt = marketing
                .sendAsync(message("gus@example.com"))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        SpanData span = onlySpan();
        assertThat(span.hasEnded()).isTrue();
        assertThat(span.getAttributes().get(STREAM_KEY)).isEqualTo("marketing");
        assertThat(span.getAttributes().get(AttributeKey.stringKey(TRANSPORT))).isEqualTo("memory-backup");
        assertThat(attemptEvents(span)).containsExactly("memory:uncertain", "memory-backup:delivered");
    }

    @Test
    void aStreamsTransportTakenByNameIsTracedToo() {
        SendReceipt receipt = streams.of("marketing").send(message("hal@example.com"));

        SpanData span = onlySpan();
        assertThat(span.getAttributes().get(STREAM_KEY)).isEqualTo("marketing");
        assertThat(span.getAttributes().get(AttributeKey.stringKey(MAIL_ID))).isEqualTo(receipt.mailId());
        assertThat(attemptEvents(span)).containsExactly("memory:delivered");
    }

    /** The attributes of an attempt or send through a stream: the unnamed stream's carry no stream. */
    private static Attributes attempt(String stream, String transport, String outcome) {
        Attributes plain = SendTelemetryTest.attempt(transport, outcome);
        return MailStream.DEFAULT.equals(stream)
                ? plain
                : plain.toBuilder().put(AttributeKey.stringKey(STREAM), stream).build();
    }
}
