package io.mailpath.telemetry;

import static io.mailpath.telemetry.TelemetryNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.events.MailSent;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.Test;

/**
 * The metrics and the span of routed sends, through the real routing (Weld, SmallRye Fault Tolerance) and the
 * in-memory transports, into the OpenTelemetry SDK's in-memory reader and exporter.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory,memory-backup",
            // See FaultToleranceMeter
            "MP_Fault_Tolerance_Metrics_Enabled=false"
        })
@AddBeanClasses({
    MailTelemetry.class,
    TracedMailTransport.class,
    InMemoryOpenTelemetry.class,
    FaultToleranceMeter.class,
    SendTelemetryTest.CurrentSpanAtSend.class
})
class SendTelemetryTest {
    @Inject
    MailTransport mail;

    @Inject
    InMemoryOpenTelemetry otel;

    @Inject
    CurrentSpanAtSend sendingThread;

    /** What a client started on the sending thread (the REST client) would take as its parent. */
    @ApplicationScoped
    static class CurrentSpanAtSend {
        private volatile SpanContext seen;

        void onSent(@Observes MailSent event) {
            seen = Span.current().getSpanContext();
        }

        SpanContext seen() {
            return seen;
        }
    }

    static Mail message(String to) {
        return Mail.builder()
                .from("shop@example.com")
                .to(to)
                .subject("Your order")
                .text("Thanks.")
                .build();
    }

    static Attributes attempt(String transport, String outcome) {
        return Attributes.of(AttributeKey.stringKey(TRANSPORT), transport, AttributeKey.stringKey(OUTCOME), outcome);
    }

    static Attributes unavailableMemoryFailedOverToBackup() {
        return Attributes.of(
                AttributeKey.stringKey(TRANSPORT), "memory",
                AttributeKey.stringKey(OUTCOME), "unavailable",
                AttributeKey.stringKey(DELIVERED_BY), "memory-backup");
    }

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
    void aDeliveryIsCountedTimedAndTracedAsOneSpan() {
        SendReceipt receipt = mail.send(message("ann@example.com"));

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(otel.count(ATTEMPTS, attempt("memory", DELIVERED))).isEqualTo(1);
        assertThat(otel.histogramCount(ATTEMPT_DURATION, attempt("memory", DELIVERED)))
                .isEqualTo(1);
        assertThat(otel.count(MESSAGES, attempt("memory", DELIVERED))).isEqualTo(1);
        assertThat(otel.collect()).noneMatch(m -> m.getName().equals(FAILOVERS));

        SpanData span = onlySpan();
        assertThat(span.getName()).isEqualTo(SEND_SPAN);
        assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getAttributes().get(AttributeKey.stringKey(MAIL_ID))).isEqualTo(receipt.mailId());
        assertThat(span.getAttributes().get(AttributeKey.stringKey(TRANSPORT))).isEqualTo("memory");
        assertThat(span.getAttributes().get(AttributeKey.booleanKey(FAILED_OVER)))
                .isFalse();
        assertThat(attemptEvents(span)).containsExactly("memory:delivered");
        // The span was current on the sending thread while the router sent.
        assertThat(sendingThread.seen()).isEqualTo(span.getSpanContext());
    }

    @Test
    void aFailoverCountsEachAttemptAndTheFailover() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable()); // one try and two retries

        SendReceipt receipt = mail.send(message("bob@example.com"));

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        assertThat(otel.count(ATTEMPTS, attempt("memory", "unavailable"))).isEqualTo(3);
        assertThat(otel.histogramCount(ATTEMPT_DURATION, attempt("memory", "unavailable")))
                .isEqualTo(3);
        assertThat(otel.count(ATTEMPTS, attempt("memory-backup", DELIVERED))).isEqualTo(1);
        assertThat(otel.count(MESSAGES, attempt("memory-backup", DELIVERED))).isEqualTo(1);
        assertThat(otel.count(FAILOVERS, unavailableMemoryFailedOverToBackup())).isEqualTo(1);
        assertThat(otel.collect()).noneMatch(m -> m.getName().equals(POSSIBLE_DUPLICATES));

        SpanData span = onlySpan();
        assertThat(attemptEvents(span))
                .containsExactly(
                        "memory:unavailable", "memory:unavailable", "memory:unavailable", "memory-backup:delivered");
        assertThat(span.getEvents().get(0).getAttributes().get(AttributeKey.longKey(STATUS)))
                .isEqualTo(503);
        assertThat(span.getAttributes().get(AttributeKey.stringKey(TRANSPORT))).isEqualTo("memory-backup");
        assertThat(span.getAttributes().get(AttributeKey.booleanKey(FAILED_OVER)))
                .isTrue();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void anUncertainAttemptThenADeliveryCountsAPossibleDuplicate() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());

        SendReceipt receipt = mail.send(message("cy@example.com"));

        assertThat(receipt.possibleDuplicate()).isTrue();
        assertThat(otel.count(ATTEMPTS, attempt("memory", "uncertain"))).isEqualTo(1);
        assertThat(otel.count(POSSIBLE_DUPLICATES, Attributes.of(AttributeKey.stringKey(TRANSPORT), "memory-backup")))
                .isEqualTo(1);
        assertThat(onlySpan().getAttributes().get(AttributeKey.booleanKey(POSSIBLE_DUPLICATE)))
                .isTrue();
    }

    @Test
    void aFailedSendIsCountedByItsKindAndItsSpanIsAnError() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.rejected(422));

        assertThatThrownBy(() -> mail.send(message("dee@example.com"))).isInstanceOf(MailRejectedException.class);

        assertThat(otel.count(ATTEMPTS, attempt("memory", "rejected"))).isEqualTo(1);
        assertThat(otel.count(MESSAGES, attempt("memory", "rejected"))).isEqualTo(1);
        assertThat(otel.count(ATTEMPTS, attempt("memory-backup", DELIVERED))).isZero();
        SpanData span = onlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey(ERROR_TYPE))).isEqualTo("rejected");
        assertThat(attemptEvents(span)).containsExactly("memory:rejected");
        assertThat(span.getEvents().get(0).getAttributes().get(AttributeKey.longKey(STATUS)))
                .isEqualTo(422);
    }

    @Test
    void theSendSpanIsAChildOfTheCallersSpan() {
        Tracer tracer = otel.openTelemetry().getTracer("test");
        Span caller = tracer.spanBuilder("caller").startSpan();
        try (Scope ignored = caller.makeCurrent()) {
            mail.send(message("eve@example.com"));
        } finally {
            caller.end();
        }

        SpanData send = otel.finishedSpans().stream()
                .filter(s -> s.getName().equals(SEND_SPAN))
                .findFirst()
                .orElseThrow();
        assertThat(send.getParentSpanContext()).isEqualTo(caller.getSpanContext());
    }

    @Test
    void sendAsyncEndsItsOneSpanWhenTheStageCompletes() throws Exception {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());

        SendReceipt receipt =
                mail.sendAsync(message("fay@example.com")).toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(receipt.transport()).isEqualTo("memory-backup");
        SpanData span = onlySpan();
        assertThat(span.hasEnded()).isTrue();
        assertThat(span.getAttributes().get(AttributeKey.stringKey(TRANSPORT))).isEqualTo("memory-backup");
        assertThat(attemptEvents(span)).hasSize(4).endsWith("memory-backup:delivered");
        assertThat(sendingThread.seen()).isEqualTo(span.getSpanContext());
        assertThat(otel.count(FAILOVERS, unavailableMemoryFailedOverToBackup())).isEqualTo(1);
    }

    @Test
    void aFailedSendAsyncEndsItsSpanAsAnErrorAndTheCallerGetsTheSameException() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.rejected(400));

        var stage = mail.sendAsync(message("gus@example.com")).toCompletableFuture();

        assertThatThrownBy(() -> stage.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(MailRejectedException.class);
        SpanData span = onlySpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attemptEvents(span)).containsExactly("memory:rejected");
    }
}
