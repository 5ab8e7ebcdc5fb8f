package io.mailpath.testing;

import io.mailpath.Address;
import io.mailpath.Delivery;
import io.mailpath.Mail;
import io.mailpath.spi.AbstractTransport;
import io.mailpath.spi.PartReceipt;
import io.mailpath.spi.TransportProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Delivers into its {@link Mailbox} instead of a server, through the same send flow as the real transports: one
 * delivery per message, or one per {@code to} recipient with per-recipient data.
 */
final class MemoryTransport extends AbstractTransport<MemoryTransport.Part> {
    /** One delivery: the message and whom this copy is for. */
    record Part(Mail mail, List<String> recipients) {}

    private final Mailbox mailbox;
    private final Optional<Duration> requestTimeout;

    MemoryTransport(TransportProvider provider, Optional<Duration> requestTimeout) {
        super(provider);
        this.mailbox = Mailbox.of(provider.name());
        this.requestTimeout = requestTimeout;
    }

    /** What a real transport's timeouts would allow one request, when the test configured one. */
    @Override
    public Optional<Duration> requestTimeout() {
        return requestTimeout;
    }

    @Override
    protected List<Part> compose(Mail mail) {
        if (!mail.isPerRecipient()) {
            return List.of(new Part(
                    mail, mail.allRecipients().stream().map(Address::email).toList()));
        }
        return mail.to().stream().map(a -> new Part(mail, List.of(a.email()))).toList();
    }

    @Override
    protected List<String> recipients(Part part) {
        return part.recipients();
    }

    @Override
    protected PartReceipt deliver(Part part) {
        SentMail sent = mailbox.deliver(part.mail(), part.recipients());
        String messageId = "<" + part.mail().id() + "@" + mailbox.transport() + ".invalid>";
        return PartReceipt.accepted(new Delivery(sent.recipients(), sent.transmissionId(), messageId), 250);
    }

    @Override
    protected void release() {
        // Nothing held: the mailbox outlives the transport, so that a test can read it after the application stops.
    }

    @Override
    public String toString() {
        return "MemoryTransport[" + name() + "]";
    }
}
