package io.mailpath.webhooks;

/**
 * The ids of the webhook events already delivered to the application's observers, so that an event Mailtarget sends
 * again (it retries a batch that was not answered with 2xx) is dropped. The receiver keeps them in memory, a bounded
 * window per server ({@code mailpath.webhooks.dedupe-window}); an application whose servers share a load balancer
 * makes one {@code @ApplicationScoped} bean implement this interface on a shared store (a database table with a unique
 * key, a cache), and the receiver uses it instead.
 *
 * <p>Both methods are called concurrently; {@link #add(String)} must be atomic.
 */
public interface EventIdStore {
    /**
     * Records that an event is being delivered.
     *
     * @param eventId Mailtarget's event id, never {@code null}
     * @return {@code true} when the id was new (deliver the event), {@code false} when it was already recorded
     *     (a repeat: drop it)
     */
    boolean add(String eventId);

    /**
     * Forgets an event id whose delivery failed (an observer threw), so that Mailtarget's next attempt delivers it.
     *
     * @param eventId an id {@link #add(String)} accepted
     */
    void remove(String eventId);
}
