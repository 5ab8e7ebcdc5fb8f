package io.mailpath.e2e;

import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.routing.RoutingState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What an application of two streams injects: each stream's routed transport, and the routing's state. */
@ApplicationScoped
class IsolationSenders {
    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Inject
    RoutingState state;

    // Read through methods: the test holds a client proxy, whose own fields are never injected.
    MailTransport transactional() {
        return transactional;
    }

    MailTransport marketing() {
        return marketing;
    }

    RoutingState state() {
        return state;
    }
}
