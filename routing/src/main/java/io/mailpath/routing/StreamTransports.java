package io.mailpath.routing;

import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;

/**
 * Makes {@code @Inject @MailStream("marketing") MailTransport}: the routed transport of one stream. The stream must be
 * listed in {@code mailpath.streams}; an injection point naming another fails the deployment.
 */
@ApplicationScoped
public class StreamTransports {
    /** The router, by the type a decorator of named streams' sends wraps. */
    @Inject
    StreamSender router;

    @Inject
    MailpathExtension mailpath;

    @Produces
    @Dependent
    @MailStream("")
    MailTransport stream(InjectionPoint injectionPoint) {
        String name = injectionPoint.getQualifiers().stream()
                .filter(MailStream.class::isInstance)
                .map(q -> ((MailStream) q).value())
                .findFirst()
                .orElseThrow();
        return of(name);
    }

    /**
     * The routed transport of one stream, for programmatic use.
     *
     * @throws MailConfigurationException when no such stream is configured
     */
    public MailTransport of(String stream) {
        mailpath.stream(stream);
        return new StreamTransport(stream, router);
    }

    /** Sends through the router, in one stream; the router is its CDI proxy, so {@code sendAsync} is asynchronous. */
    private record StreamTransport(String stream, StreamSender router) implements MailTransport {
        @Override
        public SendReceipt send(Mail mail) {
            return router.send(stream, mail);
        }

        @Override
        public CompletionStage<SendReceipt> sendAsync(Mail mail) {
            return router.sendAsync(stream, mail);
        }

        @Override
        public String toString() {
            return "MailTransport[stream " + stream + "]";
        }
    }
}
