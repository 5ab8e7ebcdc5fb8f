package io.mailpath.telemetry;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import io.mailpath.routing.StreamSender;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CompletionStage;

/**
 * Wraps the router's sends through a named stream (what each {@code @MailStream("name") MailTransport} calls) in one
 * span per send, as {@link TracedMailTransport} wraps the unnamed stream's; the span carries the stream's name
 * ({@link TelemetryNames#STREAM}). A producer's {@code MailTransport} cannot be decorated, the router it calls can.
 */
@Decorator
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public abstract class TracedStreamSender implements StreamSender {
    @Inject
    @Delegate
    StreamSender delegate;

    @Inject
    MailTelemetry telemetry;

    @Override
    public SendReceipt send(String stream, Mail mail) {
        if (stream == null || mail == null) {
            return delegate.send(stream, mail);
        }
        return TracedSends.send(telemetry, mail, stream, () -> delegate.send(stream, mail));
    }

    /**
     * A named stream's asynchronous send, traced on the pool's thread that makes it (as the unnamed stream's
     * {@code sendAsync} is): its span is current there, so the transports' own spans are its children. The time it
     * waited in its stream's lane before is not part of it.
     */
    @Override
    public CompletionStage<SendReceipt> sendOnContainerThread(String stream, Mail mail) {
        if (stream == null || mail == null) {
            return delegate.sendOnContainerThread(stream, mail);
        }
        return TracedSends.sendAsync(telemetry, mail, stream, () -> delegate.sendOnContainerThread(stream, mail));
    }
}
