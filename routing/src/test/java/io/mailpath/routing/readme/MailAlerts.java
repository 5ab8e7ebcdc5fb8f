package io.mailpath.routing.readme;

import io.mailpath.events.MailFailedOver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.logging.Logger;

/** The after-the-send guide's observer of send events, compiled; {@link MailAlertsTest} runs it. */
// docs send-events: start
@ApplicationScoped
public class MailAlerts {
    private static final Logger log = Logger.getLogger(MailAlerts.class.getName());

    void onFailover(@ObservesAsync MailFailedOver e) {
        log.warning("Mail " + e.mailId() + ": '" + e.failedTransport() + "' failed (" + e.reason() + "), delivered by '"
                + e.deliveredBy() + "'");
    }
}
// docs send-events: end
