package io.mailpath.health.canary.webhooks;

import io.mailpath.health.canary.Canary;
import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.CDI;

/**
 * Hands the canary each delivery event of the webhook receiver. The only class of the canary that names
 * {@link DeliveryEvent}: it has no bean-defining annotation, so that bean discovery skips it, and the canary's CDI
 * extension adds it only where the webhooks module is on the class path.
 */
public class CanaryDeliveryObserver {
    /**
     * Synchronous, so that the readiness data shows the delivery by the time Mailtarget gets its answer. A delivery
     * is the proof; an injection only says Mailtarget took the message.
     */
    void onDelivery(@Observes DeliveryEvent event) {
        if (event.type() == DeliveryEvent.Type.DELIVERED) {
            // Looked up, not injected: Payara's Weld puts a type an extension adds into an archive of its own, from
            // which the canary bean cannot be injected (WELD-001408); the application's lookup sees it.
            CDI.current().select(Canary.class).get().delivered(event.mailpathId());
        }
    }
}
