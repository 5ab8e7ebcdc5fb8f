package io.mailpath.outbox;

import io.mailpath.FailureKind;
import io.mailpath.MailStream;
import io.mailpath.RejectedRecipient;
import java.time.Instant;
import java.util.List;

/**
 * One row of the outbox, without the message itself: what {@link MailOutbox#entry(String)},
 * {@link MailOutbox#recentEntries(int)} and {@link MailOutbox#deadEntries(int)} show.
 *
 * @param id the message's stable id ({@code Mail.id()}), the primary key
 * @param state where it stands
 * @param attempts how many times a relay claimed it to send it
 * @param enqueuedAt when it was enqueued
 * @param dueAt not sent before this time
 * @param possibleDuplicate whether an earlier try may have delivered it already (its outcome was uncertain, or its
 *     relay lost its lease mid-send); a later delivery is then possibly a second copy, with the same id
 * @param lastFailure the kind of the last failure, or null
 * @param lastError a short description of the last failure, or null; never contains secrets
 * @param transport the transport that delivered it, or null
 * @param transmissionId Mailtarget's transmission id when the API delivered it, or null
 * @param messageId the Message-ID when the transport assigned one, or null
 * @param finishedAt when it was delivered or died, or null while pending
 * @param deliveredTo the recipients (in lower case) a transport accepted so far; empty before the first delivery.
 *     Later tries send only to the others
 * @param undelivered the recipients not reached, each with its latest failure: while pending, those of a kind other
 *     than {@code REJECTED} are tried again; once delivered or dead, the list says who was missed
 * @param stream the stream it was enqueued into and is sent through: a name from {@code mailpath.streams}, or
 *     {@value MailStream#DEFAULT} for the unnamed one (as {@link io.mailpath.Mail#stream()})
 */
public record OutboxEntry(
        String id,
        OutboxState state,
        int attempts,
        Instant enqueuedAt,
        Instant dueAt,
        boolean possibleDuplicate,
        FailureKind lastFailure,
        String lastError,
        String transport,
        String transmissionId,
        String messageId,
        Instant finishedAt,
        List<String> deliveredTo,
        List<RejectedRecipient> undelivered,
        String stream) {

    public OutboxEntry {
        deliveredTo = List.copyOf(deliveredTo);
        undelivered = List.copyOf(undelivered);
        stream = stream == null ? MailStream.DEFAULT : stream;
    }

    /** An entry of the unnamed stream (the form before streams). */
    public OutboxEntry(
            String id,
            OutboxState state,
            int attempts,
            Instant enqueuedAt,
            Instant dueAt,
            boolean possibleDuplicate,
            FailureKind lastFailure,
            String lastError,
            String transport,
            String transmissionId,
            String messageId,
            Instant finishedAt,
            List<String> deliveredTo,
            List<RejectedRecipient> undelivered) {
        this(
                id,
                state,
                attempts,
                enqueuedAt,
                dueAt,
                possibleDuplicate,
                lastFailure,
                lastError,
                transport,
                transmissionId,
                messageId,
                finishedAt,
                deliveredTo,
                undelivered,
                MailStream.DEFAULT);
    }

    /** This entry as it stands once dead: the tries, state, failure and time as recorded. */
    OutboxEntry dead(
            int tries, FailureKind kind, String error, Instant at, boolean flagged, RecipientProgress progress) {
        return new OutboxEntry(
                id,
                OutboxState.DEAD,
                tries,
                enqueuedAt,
                dueAt,
                possibleDuplicate || flagged,
                kind,
                error,
                transport,
                transmissionId,
                messageId,
                at,
                progress == null ? deliveredTo : List.copyOf(progress.deliveredTo()),
                progress == null ? undelivered : progress.undelivered(),
                stream);
    }
}
