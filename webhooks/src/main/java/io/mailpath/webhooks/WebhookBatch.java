package io.mailpath.webhooks;

import java.util.List;

/**
 * A parsed webhook batch.
 *
 * @param events the batch's events, in the order Mailtarget sent them
 * @param skipped how many entries of {@code events} were not JSON objects and were passed over
 */
record WebhookBatch(List<DeliveryEvent> events, int skipped) {
    WebhookBatch {
        events = List.copyOf(events);
    }
}
