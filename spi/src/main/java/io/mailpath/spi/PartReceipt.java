package io.mailpath.spi;

import io.mailpath.Delivery;
import io.mailpath.RejectedRecipient;
import java.util.List;

/**
 * What a server answered for one part of a message ({@link AbstractTransport#deliver}).
 *
 * @param delivery the recipients it accepted and the ids to correlate with delivery events
 * @param refused recipients of this part that it refused while accepting the others; empty when all were accepted
 * @param status the server's success status or reply code (HTTP 200, SMTP 250)
 */
public record PartReceipt(Delivery delivery, List<RejectedRecipient> refused, int status) {
    public PartReceipt {
        refused = List.copyOf(refused);
    }

    /** Every recipient of the part accepted. */
    public static PartReceipt accepted(Delivery delivery, int status) {
        return new PartReceipt(delivery, List.of(), status);
    }
}
