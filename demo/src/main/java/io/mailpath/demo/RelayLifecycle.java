package io.mailpath.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;

/** Stops the embedded relay with the application. */
@ApplicationScoped
public class RelayLifecycle {
    void stop(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        EmbeddedRelay.stop();
    }
}
