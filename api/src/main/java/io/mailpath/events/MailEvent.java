package io.mailpath.events;

import io.mailpath.Mail;

/**
 * One thing that happened to one message in a routed send. Every send ends in exactly one {@link MailSent} or one
 * {@link MailFailed}; {@link MailFailedOver} and {@link MailPossibleDuplicate} come in addition, before it.
 */
public sealed interface MailEvent permits MailSent, MailFailed, MailFailedOver, MailPossibleDuplicate {
    /** The message as the application built it. */
    Mail mail();

    /** The message's stable id ({@link Mail#id()}), the same on every path and in the receipt or exception. */
    default String mailId() {
        return mail().id();
    }

    /** The stream the message was sent through ({@link Mail#stream()}). */
    default String stream() {
        return mail().stream();
    }
}
