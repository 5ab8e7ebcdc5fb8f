package io.mailpath.routing;

import io.mailpath.Mail;
import io.mailpath.SendReceipt;
import java.util.concurrent.CompletionStage;

/**
 * Sends through one stream, named: what {@code @MailStream("marketing") MailTransport} calls
 * ({@link StreamTransports}). {@link MailpathRouter} is the one bean of this type. It is an interface so that a CDI
 * decorator can wrap named streams' sends as one of {@code MailTransport} wraps the unnamed stream's (telemetry's span
 * per send).
 */
public interface StreamSender {
    /** {@link MailpathRouter#send(String, Mail)}. */
    SendReceipt send(String stream, Mail mail);

    /** {@link MailpathRouter#sendAsync(String, Mail)}: queued in the stream's lane, then sent on the pool. */
    CompletionStage<SendReceipt> sendAsync(String stream, Mail mail);

    /**
     * One asynchronous send of a named stream once its lane has room, on the Fault Tolerance pool's thread: the
     * router calls it through its proxy, so a decorator sees the send on the thread that makes it.
     */
    CompletionStage<SendReceipt> sendOnContainerThread(String stream, Mail mail);
}
