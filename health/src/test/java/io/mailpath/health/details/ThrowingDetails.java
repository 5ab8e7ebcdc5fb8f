package io.mailpath.health.details;

import io.mailpath.health.ReadinessDetails;
import io.mailpath.health.TransportData;
import jakarta.enterprise.context.Dependent;

/** A contributor that fails on every probe: the check must go on without its data. */
@Dependent
public class ThrowingDetails implements ReadinessDetails {
    @Override
    public void describe(String transport, TransportData data) {
        throw new IllegalStateException("no details today");
    }
}
