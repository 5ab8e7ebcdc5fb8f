package io.mailpath.routing;

import io.mailpath.InvalidMailException;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;

/**
 * The {@code @Inject MailTransport}: sends through the transports of {@code mailpath.transports} in order, failing
 * over by the kind of error, and tells observers how each send ended ({@link SendEvents}).
 *
 * <p>The send path, in order: this class creates the send's {@link SendContext} and calls {@link PrimaryPath#send}
 * (guarded by Fault Tolerance); when that fails, its fallback {@link PrimaryPath#failOver} asks {@link FailoverPolicy}
 * what next and tries each later transport through {@link SecondaryPath#send}; the caller gets the receipt, or one
 * exception whose type is the one of the final kind ({@link SendContext#failure()}).
 */
@ApplicationScoped
public class MailpathRouter implements MailTransport, StreamSender {
    @Inject
    MailpathExtension mailpath;

    @Inject
    PrimaryPath primary;

    @Inject
    SendEvents events;

    /** This bean through its proxy, so that {@link #sendOnContainerThread} is asynchronous. */
    @Inject
    MailpathRouter self;

    @Override
    public SendReceipt send(Mail mail) {
        return send(MailStream.DEFAULT, mail);
    }

    /**
     * Sends through one stream: {@value MailStream#DEFAULT} for the unnamed one. What
     * {@code @MailStream("marketing") MailTransport} calls.
     *
     * @throws io.mailpath.MailConfigurationException when no such stream is configured
     * @throws io.mailpath.SendingDomainException when the From address is outside the stream's sending domains
     */
    @Override
    public SendReceipt send(String stream, Mail mail) {
        if (mail == null) {
            throw new InvalidMailException("mail", "is required");
        }
        StreamRoute route = mailpath.stream(stream);
        Mail admitted;
        SendContext send;
        try {
            admitted = route.admit(mail);
            send = new SendContext(admitted, route);
        } catch (MailException e) {
            events.failed(mail.inStream(stream), e, List.of());
            throw e;
        }
        SendReceipt receipt;
        try {
            MessageFit.requireAPath(admitted, send.order(), route.registry());
            receipt = send.finish(route(send));
        } catch (MailException e) {
            events.failed(admitted, e, send.attempts());
            throw e;
        }
        events.sent(admitted, receipt);
        return receipt;
    }

    /**
     * The message as a stream would send it, once its From address is checked against the stream's sending domains:
     * what an outbox stores, so that a message the stream would refuse is refused when it is enqueued.
     *
     * @throws io.mailpath.MailConfigurationException when no such stream is configured
     * @throws io.mailpath.SendingDomainException when the From address is outside the stream's sending domains
     */
    public Mail admit(String stream, Mail mail) {
        if (mail == null) {
            throw new InvalidMailException("mail", "is required");
        }
        return mailpath.stream(stream).admit(mail);
    }

    /** What the transports delivered, or the Mailpath exception the caller gets. */
    private SendReceipt route(SendContext send) {
        try {
            return send.stream().isDefault() ? primary.send(send) : primary.sendInStream(send);
        } catch (MailException e) {
            throw e;
        } catch (Exception e) {
            // Fault Tolerance lets an interrupt through as it is (the application stopping): the caller still gets a
            // receipt for what was delivered, or a Mailpath exception that says whether anything may have been.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            SendReceipt receipt = send.delivered();
            if (receipt == null) {
                throw send.interrupted(e);
            }
            return receipt;
        }
    }

    /**
     * Sends on a container-managed thread (MicroProfile Fault Tolerance {@code @Asynchronous}), as it always did: the
     * unnamed stream has no {@link AsyncLane}.
     */
    @Override
    @Asynchronous
    public CompletionStage<SendReceipt> sendAsync(Mail mail) {
        return onContainerThread(MailStream.DEFAULT, mail);
    }

    /**
     * {@link #send(String, Mail)} on a container-managed thread (MicroProfile Fault Tolerance {@code @Asynchronous});
     * a named stream's sends go through its {@link AsyncLane}: at most {@code mailpath.async.max-concurrency} of them
     * on the shared pool at once.
     */
    @Override
    public CompletionStage<SendReceipt> sendAsync(String stream, Mail mail) {
        if (MailStream.DEFAULT.equals(stream)) {
            return self.sendAsync(mail);
        }
        AsyncLane lane;
        try {
            lane = mailpath.stream(stream).lane();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return lane.submit(() -> {
            try {
                return self.sendOnContainerThread(stream, mail);
            } catch (MailException e) {
                throw e;
            } catch (RuntimeException e) {
                // The application stopped while the send waited in its lane (its container is gone): the caller gets
                // a Mailpath exception, as for a send the stop interrupted, and the message was not sent.
                throw new MailUnavailableException(
                        "The send could not start before the application stopped (" + e + ")",
                        null,
                        MailException.NO_STATUS,
                        null,
                        e);
            }
        });
    }

    /** One send of a named stream's {@link #sendAsync(String, Mail)}, on the Fault Tolerance pool, through the proxy. */
    @Override
    @Asynchronous
    public CompletionStage<SendReceipt> sendOnContainerThread(String stream, Mail mail) {
        return onContainerThread(stream, mail);
    }

    private CompletionStage<SendReceipt> onContainerThread(String stream, Mail mail) {
        try {
            return CompletableFuture.completedFuture(send(stream, mail));
        } catch (Error e) {
            // Fault Tolerance completes the stage with an exception this method throws, but an Error (a class path
            // conflict, no heap left) escapes its thread, and the caller would wait for ever.
            return CompletableFuture.failedFuture(e);
        }
    }
}
