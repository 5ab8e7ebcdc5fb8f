package io.mailpath.routing;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.SendReceipt;
import io.mailpath.events.MailEvent;
import io.mailpath.events.MailFailed;
import io.mailpath.events.MailFailedOver;
import io.mailpath.events.MailPossibleDuplicate;
import io.mailpath.events.MailSent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires the {@link MailEvent}s of each routed send, to synchronous and asynchronous observers. An observer's failure
 * is logged and goes no further: the send's outcome is the transports', never an observer's.
 */
@ApplicationScoped
public class SendEvents {
    private static final Logger LOG = Logger.getLogger(SendEvents.class.getName());

    @Inject
    Event<MailEvent> events;

    @Inject
    BeanManager beans;

    /** Which kinds of observers each event type has; fixed once the application is deployed. */
    private final Map<Class<?>, Observers> observers = new ConcurrentHashMap<>();

    private record Observers(boolean sync, boolean async) {}

    public void sent(Mail mail, SendReceipt receipt) {
        if (receipt.failedOver()) {
            fire(new MailFailedOver(mail, receipt));
        }
        if (receipt.possibleDuplicate()) {
            fire(new MailPossibleDuplicate(mail, receipt));
        }
        fire(new MailSent(mail, receipt));
    }

    public void failed(Mail mail, MailException failure, List<Attempt> attempts) {
        fire(new MailFailed(mail, failure, attempts));
    }

    private void fire(MailEvent event) {
        // Resolving once per type keeps a send without observers from paying for an event it would throw away.
        Observers which = observers.computeIfAbsent(event.getClass(), type -> {
            var methods = beans.resolveObserverMethods(event);
            return new Observers(
                    methods.stream().anyMatch(m -> !m.isAsync()),
                    methods.stream().anyMatch(ObserverMethod::isAsync));
        });
        if (which.sync()) {
            try {
                events.fire(event);
            } catch (RuntimeException e) {
                observerFailed(event, e);
            }
        }
        if (which.async()) {
            try {
                events.fireAsync(event).exceptionally(e -> {
                    observerFailed(event, e);
                    return null;
                });
            } catch (RuntimeException e) {
                observerFailed(event, e);
            }
        }
    }

    private static void observerFailed(MailEvent event, Throwable e) {
        LOG.log(
                Level.WARNING,
                e,
                () -> "An observer of " + event.getClass().getSimpleName() + " for mail " + event.mailId()
                        + " failed; the send's outcome stands");
    }
}
