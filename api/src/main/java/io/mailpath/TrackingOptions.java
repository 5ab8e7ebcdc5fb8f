package io.mailpath;

/**
 * Tracking options for the Mailtarget API ({@code optionsAttributes}). A null field leaves the account's default.
 * Transports without tracking (SMTP) send the message without them.
 *
 * <pre>
 * TrackingOptions options = TrackingOptions.DEFAULT.withOpenTracking(true).withClickTracking(false);
 * </pre>
 *
 * @param openTracking track opens
 * @param clickTracking rewrite links to track clicks
 * @param transactional mark the message as transactional (not subject to unsubscribes)
 */
public record TrackingOptions(Boolean openTracking, Boolean clickTracking, Boolean transactional) {
    /** No option set: the account's defaults apply. */
    public static final TrackingOptions DEFAULT = new TrackingOptions(null, null, null);

    /** These options with open tracking on ({@code true}), off ({@code false}) or the account's default (null). */
    public TrackingOptions withOpenTracking(Boolean openTracking) {
        return new TrackingOptions(openTracking, clickTracking, transactional);
    }

    /** These options with click tracking on ({@code true}), off ({@code false}) or the account's default (null). */
    public TrackingOptions withClickTracking(Boolean clickTracking) {
        return new TrackingOptions(openTracking, clickTracking, transactional);
    }

    /** These options with the transactional mark on ({@code true}), off ({@code false}) or the account's default. */
    public TrackingOptions withTransactional(Boolean transactional) {
        return new TrackingOptions(openTracking, clickTracking, transactional);
    }

    /** Whether any option is set. */
    public boolean isSet() {
        return openTracking != null || clickTracking != null || transactional != null;
    }
}
