package io.mailpath.webhooks.readme;

import io.mailpath.webhooks.DeliveryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The after-the-send guide's observer of delivery events, compiled; {@code BouncesTest} runs it. */
// docs webhooks observer: start
@ApplicationScoped
public class Bounces {
    @Inject
    Suppressions suppressions; // the application's own list of addresses not to mail again

    void onDelivery(@Observes DeliveryEvent event) {
        if (event.type() == DeliveryEvent.Type.BOUNCED && event.bounce() == DeliveryEvent.Bounce.HARD) {
            suppressions.add(event.recipient(), event.mailpathId());
        }
    }
}
// docs webhooks observer: end
