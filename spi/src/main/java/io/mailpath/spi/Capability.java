package io.mailpath.spi;

/** What a transport can carry beyond a plain message. */
public enum Capability {
    /** Renders Mailtarget templates ({@code Mail.templateId()}) itself. */
    TEMPLATES,
    /** Carries metadata so that it comes back in delivery events. */
    METADATA,
    /** Applies tracking options (open, click, transactional). */
    TRACKING_OPTIONS,
    /** Sends one message per recipient with that recipient's substitution data. */
    PER_RECIPIENT_DATA,
    /** Carries attachments and inline parts. */
    ATTACHMENTS,
    /** Carries custom headers. */
    CUSTOM_HEADERS
}
