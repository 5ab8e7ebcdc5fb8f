package io.mailpath.events;

import io.mailpath.Attempt;
import io.mailpath.Mail;
import io.mailpath.MailException;
import java.util.List;
import java.util.Objects;

/**
 * The send raised an exception to its caller: this one. Its {@link MailException#kind() kind} says whether the message
 * may have been delivered after all ({@code UNCERTAIN}) or certainly was not.
 *
 * @param mail the message
 * @param failure the exception the caller got
 * @param attempts every attempt, in the order made (empty when the message was refused before any transport took it)
 */
public record MailFailed(Mail mail, MailException failure, List<Attempt> attempts) implements MailEvent {
    public MailFailed {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(failure, "failure");
        attempts = List.copyOf(attempts);
    }
}
