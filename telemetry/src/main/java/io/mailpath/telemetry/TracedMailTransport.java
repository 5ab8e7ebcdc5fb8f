package io.mailpath.telemetry;

import io.mailpath.Mail;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps the routed {@code MailTransport} (the default bean; a {@code @TransportName} transport is not decorated) in
 * one span per send, current while the router sends, so that the spans a server starts meanwhile (its REST client's)
 * are its children. The attempts become span events ({@link MailTelemetry}). No call on a span throws
 * ({@link GuardedRecorder}): the caller gets exactly the delegate's receipt or exception.
 */
@Decorator
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public abstract class TracedMailTransport implements MailTransport {
    @Inject
    @Delegate
    MailTransport delegate;

    @Inject
    MailTelemetry telemetry;

    @Override
    public SendReceipt send(Mail mail) {
        if (mail == null) {
            return delegate.send(null);
        }
        Recorder.SendSpan async = telemetry.asyncSpan(mail);
        if (async != null) {
            // The router's sendAsync sends through send: one span for both, ended with the stage.
            try (Recorder.Current current = async.makeCurrent()) {
                return delegate.send(mail);
            }
        }
        Recorder.SendSpan span = telemetry.startSend(mail, false);
        try (Recorder.Current current = span.makeCurrent()) {
            SendReceipt receipt = delegate.send(mail);
            span.delivered(receipt);
            return receipt;
        } catch (RuntimeException | Error e) {
            span.failed(e);
            throw e;
        } finally {
            telemetry.endSend(mail, span);
        }
    }

    @Override
    public CompletionStage<SendReceipt> sendAsync(Mail mail) {
        if (mail == null) {
            return delegate.sendAsync(null);
        }
        Recorder.SendSpan span = telemetry.startSend(mail, true);
        CompletionStage<SendReceipt> stage;
        try (Recorder.Current current = span.makeCurrent()) {
            stage = delegate.sendAsync(mail);
        } catch (RuntimeException | Error e) {
            span.failed(e);
            telemetry.endSend(mail, span);
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
                telemetry.endSend(mail, span);
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
