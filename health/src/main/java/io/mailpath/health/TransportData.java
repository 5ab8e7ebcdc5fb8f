package io.mailpath.health;

import io.mailpath.MailStream;
import java.time.Instant;
import java.util.Map;

/**
 * The readiness data of one transport: each key is written as {@code <transport>.<key>} for the unnamed stream's
 * transport, {@code stream.<stream>.<transport>.<key>} for a named stream's ({@link MailpathReadinessCheck}), with a
 * value MicroProfile Health can carry (text, number or flag). A null text or time is left out.
 */
public final class TransportData {
    private final String prefix;
    private final Map<String, Object> data;

    TransportData(String transport, Map<String, Object> data) {
        this(MailpathReadinessCheck.streamPrefix(MailStream.DEFAULT), transport, data);
    }

    /** Under a stream's prefix ({@link MailpathReadinessCheck#streamPrefix}). */
    TransportData(String streamPrefix, String transport, Map<String, Object> data) {
        this.prefix = streamPrefix + transport + ".";
        this.data = data;
    }

    public TransportData put(String key, String value) {
        if (value != null) {
            data.put(prefix + key, value);
        }
        return this;
    }

    public TransportData put(String key, long value) {
        data.put(prefix + key, value);
        return this;
    }

    public TransportData put(String key, boolean value) {
        data.put(prefix + key, value);
        return this;
    }

    /** A time, as ISO-8601 in UTC ({@code 2026-11-22T12:04:03.123Z}). */
    public TransportData put(String key, Instant at) {
        return put(key, at == null ? null : at.toString());
    }
}
