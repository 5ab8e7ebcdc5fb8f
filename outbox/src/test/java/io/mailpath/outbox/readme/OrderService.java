package io.mailpath.outbox.readme;

import io.mailpath.Mail;
import io.mailpath.outbox.MailOutbox;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The outbox guide's container example, compiled here (the routing module's {@code DocsExamplesTest} checks that the
 * guide quotes it line for line); {@code OutboxInContainerTest} runs the same flow against a real transaction.
 */
public class OrderService {
    /** What the example persists: stands for the application's own entity. */
    public record Order(String number, String email) {}

    /** Stands for the application's own repository. */
    public interface Orders {
        void persist(Order order);
    }

    @Inject
    Orders orders;

    // docs outbox inject: start
    @Inject
    MailOutbox outbox;

    @Transactional
    public void placeOrder(Order order) {
        orders.persist(order);
        outbox.enqueue(confirmation(order)); // sent right after the commit; never if the transaction rolls back
    }
    // docs outbox inject: end

    private static Mail confirmation(Order order) {
        return Mail.builder()
                .from("shop@example.com")
                .to(order.email())
                .subject("Order " + order.number() + " confirmed")
                .text("Thank you")
                .build();
    }
}
