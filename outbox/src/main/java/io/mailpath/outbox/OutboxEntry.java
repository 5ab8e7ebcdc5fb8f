package io.mailpath.outbox;

import io.mailpath.FailureKind;
import java.time.Instant;

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
        Instant finishedAt) {}
