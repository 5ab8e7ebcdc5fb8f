package io.mailpath.health;

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
}
