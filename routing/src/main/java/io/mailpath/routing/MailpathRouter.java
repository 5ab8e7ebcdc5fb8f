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
 * over by the kind of error ({@link PrimaryPath}, {@link FailoverHandler}), and tells observers how each send ended
 * ({@link SendEvents}).
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
        SendContext context = new SendContext(mail, mailpath.routing().order());
        SendReceipt receipt;
        try {
            MessageFit.requireAPath(mail, context.order(), mailpath.registry());
            receipt = context.finish(route(context));
        } catch (MailException e) {
            events.failed(mail, e, context.attempts());
            throw e;
        }
        events.sent(mail, receipt);
        return receipt;
    }

    /** What the transports delivered, or the Mailpath exception the caller gets. */
    private SendReceipt route(SendContext context) {
        try {
            return primary.send(context);
        } catch (MailException e) {
            throw e;
        } catch (Exception e) {
            // Fault Tolerance lets an interrupt through as it is (the application stopping): the caller still gets a
            // receipt for what was delivered, or a Mailpath exception that says whether anything may have been.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            SendReceipt receipt = context.delivered();
            if (receipt == null) {
                throw context.interrupted(e);
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
