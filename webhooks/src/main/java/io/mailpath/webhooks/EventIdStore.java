package io.mailpath.webhooks;

/**
 * The ids of the webhook events the application's observers already received successfully, so that an event Mailtarget
 * sends again (it retries a batch that was not answered with 2xx) is dropped. The receiver keeps them in memory, a
 * bounded window per server ({@code mailpath.webhooks.dedupe-window}); an application whose servers share a load
 * balancer makes one {@code @ApplicationScoped} bean implement this interface on a shared store (a database table with
 * a unique key, a cache), and the receiver uses it instead.
 *
 * <p>An id is recorded only once every {@code @Observes} observer of its event returned: an id whose observers failed,
 * or whose server went down while they ran, was never recorded, and Mailtarget's next attempt delivers the event
 * again. While one request delivers an event, a repeat of it arriving at the same server is answered 503 (not a
 * duplicate yet); a repeat arriving at another server meanwhile is delivered there too. Delivery is therefore at least
 * once: an observer that must act once per event keys its work by {@link DeliveryEvent#eventId()}.
 *
 * <p>Both methods are called concurrently, from several requests at once.
 */
public interface EventIdStore {
    /**
     * Whether the observers already received this event successfully.
     *
     * @param eventId Mailtarget's event id, never {@code null}
     * @return {@code true} for an id {@link #markDelivered(String)} recorded (a repeat: drop it)
     */
    boolean isDelivered(String eventId);

    /**
     * Records that the observers received this event successfully. Called after they returned, never before; recording
     * an id that is already there does nothing. An exception leaves the event to be delivered again by Mailtarget's
     * next attempt (the batch is answered 500).
     *
     * @param eventId Mailtarget's event id, never {@code null}
     */
    void markDelivered(String eventId);
}
