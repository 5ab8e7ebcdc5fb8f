package io.mailpath.outbox.cdi;

import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.routing.MailpathRouter;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.routing.StreamTransports;
import jakarta.enterprise.inject.Instance;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the outbox meets the routing's streams: the admission of an enqueue into a stream, and the transport a relay
 * sends each stream's entries through. The only class of the outbox's runtime that names the routing's beans, so that
 * an application without the routing (an enqueue-only server) never loads it ({@link OutboxExtension#routingDeployed}).
 */
final class OutboxStreams {
    private OutboxStreams() {}

    /**
     * Admits each message through a stream's routing: the stream's sending domains are checked and the message is
     * stamped with the stream, before anything is stored.
     *
     * @throws MailConfigurationException naming {@value RoutingConfig#STREAMS} when no such stream is configured
     */
    static UnaryOperator<Mail> admission(Instance<Object> beans, String stream) {
        // Fails now, at the injection, rather than at the first enqueue.
        beans.select(StreamTransports.class).get().of(stream);
        MailpathRouter router = beans.select(MailpathRouter.class).get();
        return mail -> router.admit(stream, mail);
    }

    /**
     * The transport of each stream: {@code unnamed} (the application's {@code MailTransport}) for the unnamed one, the
     * routed transport of a named stream otherwise.
     */
    static Function<String, MailTransport> transports(Instance<Object> beans, MailTransport unnamed) {
        StreamTransports streams = beans.select(StreamTransports.class).get();
        return stream -> MailStream.DEFAULT.equals(stream) ? unnamed : streams.of(stream);
    }
}
