package io.mailpath.health;

import io.mailpath.Mail;

/** The message the health scenarios send. */
final class Messages {
    private Messages() {}

    static Mail simple() {
        return Mail.builder()
                .from("sender@example.com")
                .to("user@example.com")
                .subject("Health scenario")
                .text("Hello")
                .build();
    }
}
