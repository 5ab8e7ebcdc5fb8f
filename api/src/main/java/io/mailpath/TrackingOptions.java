package io.mailpath;

/**
 * Tracking options for the Mailtarget API ({@code optionsAttributes}). A null field leaves the account's default.
 *
 * @param openTracking track opens
 * @param clickTracking rewrite links to track clicks
 * @param transactional mark the message as transactional (not subject to unsubscribes)
 */
public record TrackingOptions(Boolean openTracking, Boolean clickTracking, Boolean transactional) {
    /** No option set: the account's defaults apply. */
    public static final TrackingOptions DEFAULT = new TrackingOptions(null, null, null);

    /** Whether any option is set. */
    public boolean isSet() {
        return openTracking != null || clickTracking != null || transactional != null;
    }
}
