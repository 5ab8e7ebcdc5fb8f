package io.mailpath.telemetry;

/**
 * The names Mailpath's metrics, span and attributes carry, for dashboards and alert rules. Every send metric is
 * recorded by the routed transports only ({@code MailTransport} and each {@code @MailStream("name") MailTransport}),
 * and carries the {@link #STREAM} it went through; a send through one {@code @TransportName} transport is not counted.
 * The canary metrics count the canary's events ({@code mailpath-health}).
 */
public final class TelemetryNames {
    private TelemetryNames() {}

    /** The instrumentation scope of every metric and span. */
    public static final String SCOPE = "io.mailpath";

    /** Counter of attempts, by {@link #STREAM}, {@link #TRANSPORT} and {@link #OUTCOME}. Unit {@code {attempt}}. */
    public static final String ATTEMPTS = "mailpath.send.attempts";

    /** Histogram of each attempt's duration in seconds, by {@link #STREAM}, {@link #TRANSPORT} and {@link #OUTCOME}. */
    public static final String ATTEMPT_DURATION = "mailpath.send.attempt.duration";

    /**
     * Counter of routed sends, by {@link #STREAM}, {@link #TRANSPORT} (the one that delivered, or the last one tried)
     * and {@link #OUTCOME} ({@value #DELIVERED} or the kind of the exception the caller got). Unit {@code {message}}.
     */
    public static final String MESSAGES = "mailpath.send.messages";

    /**
     * Counter of sends delivered by a later transport after the first failed, by {@link #STREAM}, {@link #TRANSPORT}
     * (the one that failed first), {@link #OUTCOME} (why) and {@link #DELIVERED_BY}. Unit {@code {message}}.
     */
    public static final String FAILOVERS = "mailpath.send.failovers";

    /**
     * Counter of sends delivered after an earlier attempt's outcome was uncertain: recipients may get them twice. By
     * {@link #STREAM} and {@link #TRANSPORT}, the one that delivered. Unit {@code {message}}.
     */
    public static final String POSSIBLE_DUPLICATES = "mailpath.send.possible_duplicates";

    /**
     * Gauge of a transport's connection pool (SMTP), by {@link #TRANSPORT} and {@link #POOL_STATE}. Unit
     * {@code {connection}}.
     */
    public static final String POOL_CONNECTIONS = "mailpath.smtp.pool.connections";

    /** Gauge of the most connections a transport's pool opens at a time, by {@link #TRANSPORT}. */
    public static final String POOL_MAX = "mailpath.smtp.pool.max";

    /**
     * Counter of canaries whose delivery event came within their window, by {@link #TRANSPORT} (the one the canary
     * went through alone). Unit {@code {message}}.
     */
    public static final String CANARY_DELIVERED = "mailpath.canary.delivered";

    /**
     * Counter of canaries with no delivery event within their window although their transport accepted them, by
     * {@link #TRANSPORT}: mail through that transport may be failing silently. Unit {@code {message}}.
     */
    public static final String CANARY_MISSED = "mailpath.canary.missed";

    /** The span of one routed send ({@code send} or {@code sendAsync}), with its {@link #STREAM}; kind INTERNAL. */
    public static final String SEND_SPAN = "mailpath send";

    /** The span event of one attempt, with {@link #TRANSPORT}, {@link #OUTCOME}, {@link #STATUS}, {@link #DURATION}. */
    public static final String ATTEMPT_EVENT = "mailpath.attempt";

    /**
     * Attribute of the send metrics, the canary metrics and the send span of a named stream: its name, from
     * {@code mailpath.streams} ({@code Mail.stream()}). The unnamed stream's carry none, so that an application without
     * streams reports the very series it reported before streams existed; as few values as streams configured.
     */
    public static final String STREAM = "mailpath.stream";

    /** Attribute: a transport's name ({@code api}, {@code smtp}, ...). */
    public static final String TRANSPORT = "mailpath.transport";

    /**
     * Attribute: how an attempt or send ended: {@value #DELIVERED}, or a failure kind in lower case
     * ({@code rejected}, {@code authentication}, {@code rate_limited}, {@code unavailable}, {@code uncertain}).
     */
    public static final String OUTCOME = "mailpath.outcome";

    /** The {@link #OUTCOME} of a delivery. */
    public static final String DELIVERED = "delivered";

    /** Attribute of {@link #FAILOVERS}: the transport that delivered. */
    public static final String DELIVERED_BY = "mailpath.delivered_by";

    /**
     * Attribute of {@link #POOL_CONNECTIONS}: {@code open} (idle and in use), {@code idle}, {@code in_use}, or
     * {@code waiting} (sends waiting for a free connection). The states overlap: do not sum them.
     */
    public static final String POOL_STATE = "mailpath.pool.state";

    /** Span attribute: the message's stable id ({@code Mail.id()}), the same in the receipt and webhook events. */
    public static final String MAIL_ID = "mailpath.mail.id";

    /** Span attribute: whether a later transport delivered after the first failed. */
    public static final String FAILED_OVER = "mailpath.failed_over";

    /** Span attribute: whether recipients may get the message twice. */
    public static final String POSSIBLE_DUPLICATE = "mailpath.possible_duplicate";

    /** Span event attribute: the attempt's HTTP status or SMTP reply code, when there was one. */
    public static final String STATUS = "mailpath.status";

    /** Span event attribute: the attempt's duration in seconds. */
    public static final String DURATION = "mailpath.duration";

    /** Span attribute of a failed send: the failure kind in lower case (OpenTelemetry's {@code error.type}). */
    public static final String ERROR_TYPE = "error.type";
}
