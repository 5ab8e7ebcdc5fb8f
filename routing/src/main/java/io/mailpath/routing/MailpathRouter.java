package io.mailpath.routing;

import io.mailpath.InvalidMailException;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
public class MailpathRouter implements MailTransport {
    @Inject
    MailpathExtension mailpath;

    @Inject
    PrimaryPath primary;

    @Inject
    SendEvents events;

    @Override
    public SendReceipt send(Mail mail) {
        if (mail == null) {
            throw new InvalidMailException("mail", "is required");
        }
        SendContext send = new SendContext(mail, mailpath.routing().order());
        SendReceipt receipt;
        try {
            MessageFit.requireAPath(mail, send.order(), mailpath.registry());
            receipt = send.finish(route(send));
        } catch (MailException e) {
            events.failed(mail, e, send.attempts());
            throw e;
        }
        events.sent(mail, receipt);
        return receipt;
    }

    /** What the transports delivered, or the Mailpath exception the caller gets. */
    private SendReceipt route(SendContext send) {
        try {
            return primary.send(send);
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

    /** Sends on a container-managed thread (MicroProfile Fault Tolerance {@code @Asynchronous}). */
    @Override
    @Asynchronous
    public CompletionStage<SendReceipt> sendAsync(Mail mail) {
        try {
            return CompletableFuture.completedFuture(send(mail));
        } catch (Error e) {
            // Fault Tolerance completes the stage with an exception this method throws, but an Error (a class path
            // conflict, no heap left) escapes its thread, and the caller would wait for ever.
            return CompletableFuture.failedFuture(e);
        }
    }
}
