package io.mailpath.transport.api;

import io.mailpath.MailException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Maps an error or redirect response of the transmission API to Mailpath's exceptions, keeping the status, the
 * server's error code and its message (and a redirect's {@code Location}); which status is which kind is decided in one
 * place, {@code ApiFailures} (429 with {@code Retry-After}; 420, Mailtarget's sending limit, with no known retry time;
 * 502/504 uncertain; 3xx unavailable).
 *
 * <p>Error bodies come in three shapes, all read: {@code {"error","message"}}, {@code {"errors":[{"message",
 * "description","code"}]}}, and either with {@code "status"}/{@code "code"}.
 */
public final class MailtargetErrorMapper implements ResponseExceptionMapper<MailException> {
    /** Mailtarget's "Exceed Sending Limit" status (daily, monthly or sandbox quota). */
    public static final int SENDING_LIMIT = 420;

    private static final int MAX_BODY_IN_MESSAGE = 300;

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        // 3xx too: a redirect is a definitive reply that did not accept the transmission, not a reply to parse.
        return status >= 300;
    }

    @Override
    public MailException toThrowable(Response response) {
        int status = response.getStatus();
        String body = readBody(response);
        ErrorBody error = ErrorBody.parse(body);
        String location = status < 400 ? response.getHeaderString(HttpHeaders.LOCATION) : null;
        String message = "Mailtarget API answered HTTP " + status
                + (location == null ? "" : " (redirect to " + ErrorBody.excerpt(location) + ")")
                + (error.text().isEmpty() ? "" : ": " + error.text());
        Duration retryAfter =
                status == 429 ? retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER), Instant.now()) : null;
        return ApiFailures.ofStatus(status, message, error.code(), retryAfter);
    }

    private static String readBody(Response response) {
        try {
            // Read even when hasEntity() says no: some clients report no entity for a body without Content-Type.
            String body = response.readEntity(String.class);
            return body == null ? "" : body;
        } catch (ProcessingException | IllegalStateException e) {
            return "";
        }
    }

    /**
     * Reads {@code Retry-After}: a number of seconds, or an HTTP date. Null when absent or unreadable; never negative.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** What an error body says, whatever its shape. */
    record ErrorBody(String text, String code) {
        // Found once: Json.createReader looks the JSON-P provider up with a ServiceLoader on every call.
        private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

        static ErrorBody parse(String body) {
            if (body == null || body.isBlank()) {
                return new ErrorBody("", null);
            }
            try (JsonReader reader = READERS.createReader(new StringReader(body))) {
                JsonValue value = reader.readValue();
                if (value instanceof JsonObject o) {
                    return fromObject(o, body);
                }
            } catch (JsonException | IllegalStateException e) {
                // not JSON: fall through and quote it
            }
            return new ErrorBody("response body is not JSON: " + excerpt(body), null);
        }

        private static ErrorBody fromObject(JsonObject o, String body) {
            StringBuilder text = new StringBuilder();
            String code = scalar(o, "code");
            if (o.get("errors") instanceof JsonArray errors) {
                for (JsonValue v : errors) {
                    if (v instanceof JsonObject e) {
                        append(text, join(scalar(e, "message"), scalar(e, "description")));
                        if (code == null) {
                            code = scalar(e, "code");
                        }
                    }
                }
            }
            append(text, join(scalar(o, "error"), scalar(o, "message")));
            if (text.isEmpty()) {
                append(text, excerpt(body));
            }
            return new ErrorBody(text.toString(), code);
        }

        private static String scalar(JsonObject o, String key) {
            JsonValue v = o.get(key);
            if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            return v.getValueType() == JsonValue.ValueType.STRING ? o.getString(key) : v.toString();
        }

        private static String join(String a, String b) {
            if (a == null || a.isBlank()) {
                return b;
            }
            return b == null || b.isBlank() || b.equals(a) ? a : a + " - " + b;
        }

        private static void append(StringBuilder text, String part) {
            if (part != null && !part.isBlank()) {
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                text.append(part.replaceAll("\\s+", " ").trim());
            }
        }

        static String excerpt(String body) {
            String flat = body.replaceAll("\\s+", " ").trim();
            return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
        }
    }
}
