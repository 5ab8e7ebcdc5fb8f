package io.mailpath.events;

import java.time.Duration;
import java.time.Instant;

/**
 * What became of one canary: a small message Mailpath's canary (in {@code mailpath-health}) sent through one transport
 * alone to prove that mail sent that way is delivered. Each canary ends in one {@link CanaryDelivered} or one
 * {@link CanaryMissed}, and only where delivery webhooks are received ({@code mailpath-webhooks}); without them the
 * canary reports that it sent, nothing more.
 */
public sealed interface CanaryEvent permits CanaryDelivered, CanaryMissed {
    /** The transport the canary went through alone ({@code api}, {@code smtp}, ...). */
    String transport();

    /**
     * The stream whose own transport the canary went through, with that stream's keys ({@code mailpath.stream.<name>.*});
     * {@value io.mailpath.MailStream#DEFAULT} for the unnamed stream.
     */
    String stream();

    /** The canary's {@code Mail.id()}, the {@code mailpath_id} of its webhook events. */
    String mailId();

    /** When the transport accepted it. */
    Instant sentAt();

    /** How long a delivery may take before the canary counts as missed ({@code mailpath.canary.delivery-window-ms}). */
    Duration window();
}
