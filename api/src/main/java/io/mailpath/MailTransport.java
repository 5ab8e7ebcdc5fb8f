package io.mailpath;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends email. Inject it ({@code @Inject MailTransport mail;}) to send through the configured transports with
 * failover, or get one transport from {@code io.mailpath.spi.Transports} outside a container.
 */
public interface MailTransport {
    /**
     * Sends a message and returns once a server has accepted it.
     *
     * @return which transport delivered and the ids to correlate with delivery events
     * @throws MailException whose kind says what failed; nothing was delivered unless it is
     *     {@link MailUncertainException}
     */
    SendReceipt send(Mail mail);

    /**
     * Sends a message without blocking the caller. The container's bean runs it on container-managed threads; this
     * default, used outside a container, runs it on the common fork-join pool.
     */
    default CompletionStage<SendReceipt> sendAsync(Mail mail) {
        return CompletableFuture.supplyAsync(() -> send(mail));
    }
}
