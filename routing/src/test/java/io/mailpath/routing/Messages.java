package io.mailpath.routing;

import io.mailpath.Mail;

/** Messages the routing scenarios send. */
public final class Messages {
    private Messages() {}

    /** A plain message to one recipient. */
    public static Mail simple() {
        return Mail.builder()
                .from("sender@example.com")
                .to("user@example.com")
                .subject("Routing scenario")
                .text("Hello")
                .build();
    }
}
