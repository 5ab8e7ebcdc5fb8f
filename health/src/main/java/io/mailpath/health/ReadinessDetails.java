package io.mailpath.health;

import io.mailpath.MailStream;

/**
 * More of each transport's state for the readiness data, from another part of Mailpath (the canary adds when it last
 * sent through the path and when that message was delivered). Every CDI bean of this type is asked on every probe,
 * so it answers from memory: no network call. It adds data only; whether the check is UP is the transports' say.
 */
public interface ReadinessDetails {
    /**
     * Adds what this bean knows of one transport of {@code mailpath.transports}.
     *
     * @param transport the transport's name
     * @param data where to write, under keys this bean owns (for example {@code canary.last-sent})
     */
    void describe(String transport, TransportData data);

    /**
     * Adds what this bean knows of one stream's own transport. By default only the unnamed stream's transports are
     * described ({@link #describe(String, TransportData)}): a bean that does not know streams says nothing of a named
     * stream's transport, which is another instance with its own keys, rather than something untrue.
     *
     * @param stream the stream's name, {@value MailStream#DEFAULT} for the unnamed one
     * @param transport the transport's name, one of the stream's order
     * @param data where to write, under keys this bean owns
     */
    default void describe(String stream, String transport, TransportData data) {
        if (MailStream.DEFAULT.equals(stream)) {
            describe(transport, data);
        }
    }
}
