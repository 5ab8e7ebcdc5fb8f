package io.mailpath.health.details;

import io.mailpath.health.ReadinessDetails;
import io.mailpath.health.TransportData;
import jakarta.enterprise.context.ApplicationScoped;

/** Stands for the canary: adds one figure of its own to each transport's data. */
@ApplicationScoped
public class TicketDetails implements ReadinessDetails {
    @Override
    public void describe(String transport, TransportData data) {
        data.put("ticket", transport + "-ok");
    }
}
