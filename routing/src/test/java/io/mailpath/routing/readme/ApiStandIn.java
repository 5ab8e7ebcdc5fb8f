package io.mailpath.routing.readme;

import io.mailpath.spi.Capability;
import io.mailpath.testing.MemoryTransportProvider;
import java.util.EnumSet;

/**
 * An in-memory transport named {@code api}, carrying everything the API transport does, so that the README's examples
 * read as an application's code does ({@code @TransportName("api")}, receipts from {@code "api"}) while they run
 * against a mailbox. Its priority is negative: only tests that name it use it. Nothing stands in for {@code smtp}
 * under that name, so that a missing SMTP transport still fails a deployment ({@code DeploymentCheckTest}).
 */
public final class ApiStandIn extends MemoryTransportProvider {
    public ApiStandIn() {
        super("api", -5, EnumSet.allOf(Capability.class));
    }
}
