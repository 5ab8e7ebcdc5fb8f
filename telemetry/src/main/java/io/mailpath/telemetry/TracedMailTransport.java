package io.mailpath.telemetry;

import io.mailpath.Mail;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CompletionStage;

/**
 * Wraps the routed {@code MailTransport} (the default bean, the unnamed stream; a {@code @TransportName} transport is
 * not decorated) in one span per send, current while the router sends, so that the spans a server starts meanwhile
 * (its REST client's) are its children. The attempts become span events ({@link MailTelemetry}). Named streams' sends
 * are wrapped by {@link TracedStreamSender}; both through {@link TracedSends}.
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
        return TracedSends.send(telemetry, mail, MailStream.DEFAULT, () -> delegate.send(mail));
    }

    @Override
    public CompletionStage<SendReceipt> sendAsync(Mail mail) {
        if (mail == null) {
            return delegate.sendAsync(null);
        }
        return TracedSends.sendAsync(telemetry, mail, MailStream.DEFAULT, () -> delegate.sendAsync(mail));
    }
}
