package io.mailpath.outbox;

import java.util.Objects;

/**
 * The CDI event fired, in a container, each time an outbox entry dies: rejected, out of tries or too old. It is fired
 * on the relay's thread after the row is committed; the entry stays in the outbox until it is retried or purged
 * ({@link MailOutbox#retryDead(String)}, {@link MailOutbox#purgeDead(String)}).
 *
 * <pre>
 * void onDeath(&#64;Observes OutboxEntryDied died) {
 *     alerts.raise("mail " + died.entry().id() + " gave up: " + died.entry().lastError());
 * }
 * </pre>
 *
 * @param entry the dead entry as it was recorded (state {@link OutboxState#DEAD}, the last failure and its kind)
 */
public record OutboxEntryDied(OutboxEntry entry) {
    public OutboxEntryDied {
        Objects.requireNonNull(entry, "entry");
    }
}
