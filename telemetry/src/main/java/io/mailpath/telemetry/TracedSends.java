package io.mailpath.telemetry;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One span per routed send, around the call that sends it: what {@link TracedMailTransport} (the unnamed stream) and
 * {@link TracedStreamSender} (named streams) both do. A call for a message and stream whose span is already under way
 * on this thread, or in a {@code sendAsync}, joins that span instead of starting another: the router's
 * {@code send(Mail)} calls its {@code send(stream, mail)}, and {@code sendAsync} calls {@code send}, on the bean
 * itself, and whether the container decorates such an inner call is its own choice. No call on a span throws
 * ({@link GuardedRecorder}): the caller gets exactly the delegate's receipt or exception.
 */
final class TracedSends {
    private TracedSends() {}

    static SendReceipt send(MailTelemetry telemetry, Mail mail, String stream, Supplier<SendReceipt> send) {
        Recorder.SendSpan underWay = telemetry.spanToJoin(mail, stream);
        if (underWay != null) {
            try (Recorder.Current current = underWay.makeCurrent()) {
                return send.get();
            }
        }
        Recorder.SendSpan span = telemetry.startSend(mail, stream, false);
        try (Recorder.Current current = span.makeCurrent()) {
            SendReceipt receipt = send.get();
            span.delivered(receipt);
            return receipt;
        } catch (RuntimeException | Error e) {
            span.failed(e);
            throw e;
        } finally {
            telemetry.endSend(mail, stream, span);
        }
    }

    static CompletionStage<SendReceipt> sendAsync(
            MailTelemetry telemetry, Mail mail, String stream, Supplier<CompletionStage<SendReceipt>> send) {
        Recorder.SendSpan underWay = telemetry.spanToJoin(mail, stream);
        if (underWay != null) {
            try (Recorder.Current current = underWay.makeCurrent()) {
                return send.get();
            }
        }
        Recorder.SendSpan span = telemetry.startSend(mail, stream, true);
        CompletionStage<SendReceipt> stage;
        try (Recorder.Current current = span.makeCurrent()) {
            stage = send.get();
        } catch (RuntimeException | Error e) {
            span.failed(e);
            telemetry.endSend(mail, stream, span);
            throw e;
        }
        // Completed with exactly the delegate's result or exception, after the span has ended.
        CompletableFuture<SendReceipt> result = new CompletableFuture<>();
        stage.whenComplete((receipt, failure) -> {
            try {
                if (failure == null) {
                    span.delivered(receipt);
                } else {
                    span.failed(failure);
                }
                telemetry.endSend(mail, stream, span);
            } finally {
                if (failure == null) {
                    result.complete(receipt);
                } else {
                    result.completeExceptionally(failure);
                }
            }
        });
        return result;
    }
}
