package io.mailpath.health.canary.webhooks;

import io.mailpath.health.canary.Canary;
import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Hands the canary each delivery event of the webhook receiver. The only class of the canary that names
 * {@link DeliveryEvent}: it has no bean-defining annotation, so that bean discovery skips it, and the canary's CDI
 * extension adds it only where the webhooks module is on the class path.
 */
public class CanaryDeliveryObserver {
    @Inject
    Canary canary;

    /**
     * Synchronous, so that the readiness data shows the delivery by the time Mailtarget gets its answer. A delivery
     * is the proof; an injection only says Mailtarget took the message.
     */
    void onDelivery(@Observes DeliveryEvent event) {
        if (event.type() == DeliveryEvent.Type.DELIVERED) {
            canary.delivered(event.mailpathId());
        }
    }
}
