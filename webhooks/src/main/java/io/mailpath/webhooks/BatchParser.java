package io.mailpath.webhooks;

import io.mailpath.Mail;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Mailtarget's webhook batch ({@code {"batchId", "retryCount", "events": [...]}}) into {@link DeliveryEvent}s,
 * leniently, because the payload is documented loosely: unknown fields are ignored, a missing field is {@code null},
 * numbers may come as strings and strings as numbers, and an entry of {@code events} that is not an object is passed
 * over. Only a body that is not JSON, whose {@code events} is not an array, or that holds a number out of range, is
 * refused.
 *
 * <p>Every number literal is checked before any is converted: its cost must not grow with what an attacker writes
 * ({@code 1e-100000000} is twelve characters, but rounding it to a whole number means computing ten to the hundred
 * millionth; a literal of a million digits is slow to convert at all). The checked literals keep every later
 * conversion small.
 */
final class BatchParser {
    /** Before this (1973-03-03 in milliseconds, 5138 in seconds), a timestamp is taken to be in seconds. */
    private static final BigDecimal SECONDS_BELOW = BigDecimal.valueOf(100_000_000_000L);
    /** Beyond this (year 318857 in milliseconds) a timestamp is unreadable; it also keeps the arithmetic small. */
    private static final BigDecimal LARGEST_TIMESTAMP = BigDecimal.valueOf(10_000_000_000_000_000L);

    /** The longest number literal read: a 128-bit id has 39 digits; SparkPost's numbers are far shorter. */
    private static final int LONGEST_NUMBER = 100;
    /** The largest power of ten a number literal may carry (double's range ends near 308). */
    private static final int LARGEST_EXPONENT = 1000;

    /** The fields of an event that may quote the receiving server's SMTP reply, in the order they are looked at. */
    private static final List<String> REPLY_FIELDS =
            List.of("reason", "rawReason", "raw_reason", "errorCode", "error_code");
    /** An RFC 3463 enhanced status code (class.subject.detail), not a part of a longer dotted number. */
    private static final Pattern ENHANCED_STATUS =
            Pattern.compile("(?<![0-9.])([245])\\.[0-9]{1,3}\\.[0-9]{1,3}(?![0-9]|\\.[0-9])");
    /** An RFC 5321 reply code opening the reply (after a "smtp;" diagnostic type, as SparkPost's raw reasons have). */
    private static final Pattern BASIC_REPLY = Pattern.compile("^(?:\\s*smtp\\s*;)?\\s*([245])[0-9]{2}(?![0-9])");

    private final JsonReaderFactory json;
    private final JsonParserFactory scanner;

    BatchParser(JsonProvider provider) {
        this.json = provider.createReaderFactory(Map.of());
        this.scanner = provider.createParserFactory(Map.of());
    }

    WebhookBatch parse(byte[] body) throws MalformedBatchException {
        JsonStructure root;
        try {
            if (!numbersInRange(scanner.createParser(new ByteArrayInputStream(body)))) {
                throw new MalformedBatchException("a number is out of range (longer than " + LONGEST_NUMBER
                        + " characters or with an exponent beyond " + LARGEST_EXPONENT + ")");
            }
            try (JsonReader reader = json.createReader(new ByteArrayInputStream(body))) {
                root = reader.read();
            }
        } catch (JsonException | IllegalStateException e) {
            // The parser's message gives the position of the error; it may quote the body, so it is not repeated.
            throw new MalformedBatchException("the body is not JSON");
        }
        String batchId = null;
        int retryCount = 0;
        JsonArray entries;
        if (root instanceof JsonArray array) {
            entries = array;
        } else {
            JsonObject batch = root.asJsonObject();
            batchId = text(batch.get("batchId"));
            retryCount = integer(batch.get("retryCount"));
            JsonValue events = batch.get("events");
            if (events == null || events.getValueType() == JsonValue.ValueType.NULL) {
                // A batch with no events at all (a dashboard's test call, say) is answered, not refused.
                entries = JsonValue.EMPTY_JSON_ARRAY;
            } else if (events instanceof JsonArray array) {
                entries = array;
            } else {
                throw new MalformedBatchException("'events' is not an array");
            }
        }
        List<DeliveryEvent> parsed = new ArrayList<>(entries.size());
        int skipped = 0;
        for (JsonValue entry : entries) {
            if (entry instanceof JsonObject event) {
                parsed.add(event(event, batchId, retryCount));
            } else {
                skipped++;
            }
        }
        return new WebhookBatch(parsed, skipped);
    }

    private DeliveryEvent event(JsonObject event, String batchId, int retryCount) {
        String status = text(event.get("status"));
        String normalised = status == null ? "" : normalise(status);
        DeliveryEvent.Type type = type(normalised);
        Map<String, String> metadata = metadata(event.get("recipientMeta"));
        return new DeliveryEvent(
                type,
                type == DeliveryEvent.Type.BOUNCED ? bounce(normalised, event) : null,
                status == null ? "" : status,
                text(event.get("eventId")),
                metadata.get(Mail.ID_METADATA_KEY),
                text(event.get("transmissionId")),
                text(event.get("messageId")),
                text(event.get("recipient")),
                metadata,
                timestamp(event.get("timestamp")),
                batchId,
                retryCount,
                event);
    }

    /** Lower case letters and digits only: "Soft Bounce", "soft_bounce" and "softBounce" read alike. */
    private static String normalise(String status) {
        StringBuilder s = new StringBuilder(status.length());
        for (char c : status.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static DeliveryEvent.Type type(String status) {
        return switch (status) {
            case "injection", "injected" -> DeliveryEvent.Type.INJECTED;
            case "delivery", "delivered" -> DeliveryEvent.Type.DELIVERED;
            case "delay", "delayed", "deferred" -> DeliveryEvent.Type.DELAYED;
            case "bounce", "bounced", "hardbounce", "softbounce" -> DeliveryEvent.Type.BOUNCED;
            case "open", "opened", "initialopen" -> DeliveryEvent.Type.OPENED;
            case "click", "clicked" -> DeliveryEvent.Type.CLICKED;
            case "complaint", "complained", "spamcomplaint" -> DeliveryEvent.Type.COMPLAINED;
            case "unsubscribe", "unsubscribed", "listunsubscribe", "linkunsubscribe" -> DeliveryEvent.Type.UNSUBSCRIBED;
            case "outofband", "oob" -> DeliveryEvent.Type.OUT_OF_BAND;
            default -> DeliveryEvent.Type.OTHER;
        };
    }

    /**
     * Hard or soft: as the status says ({@code hard_bounce}, {@code soft_bounce}); otherwise by the SMTP reply the event
     * quotes (Mailtarget's events say "Bounce" and carry the receiving server's reply, in SparkPost's field names): the
     * enhanced status code's class first ({@code 5.x.x} permanent, {@code 4.x.x} transient), then the basic reply
     * code's ({@code 5xx}, {@code 4xx}).
     */
    private static DeliveryEvent.Bounce bounce(String status, JsonObject event) {
        switch (status) {
            case "hardbounce":
                return DeliveryEvent.Bounce.HARD;
            case "softbounce":
                return DeliveryEvent.Bounce.SOFT;
            default:
                break;
        }
        List<String> replies = new ArrayList<>();
        for (String field : REPLY_FIELDS) {
            String reply = text(event.get(field));
            if (reply != null) {
                replies.add(reply);
            }
        }
        for (String reply : replies) {
            Matcher enhanced = ENHANCED_STATUS.matcher(reply);
            if (enhanced.find()) {
                return bounceClass(enhanced.group(1));
            }
        }
        for (String reply : replies) {
            Matcher basic = BASIC_REPLY.matcher(reply);
            if (basic.find()) {
                return bounceClass(basic.group(1));
            }
        }
        return DeliveryEvent.Bounce.UNKNOWN;
    }

    private static DeliveryEvent.Bounce bounceClass(String digit) {
        return switch (digit) {
            case "5" -> DeliveryEvent.Bounce.HARD;
            case "4" -> DeliveryEvent.Bounce.SOFT;
            default -> DeliveryEvent.Bounce.UNKNOWN;
        };
    }

    /**
     * The message's metadata: {@code recipientMeta} is documented as a JSON string holding an object; an object is
     * read too. Anything else, or a string that is not a JSON object, gives no metadata.
     */
    private Map<String, String> metadata(JsonValue recipientMeta) {
        JsonObject object = null;
        if (recipientMeta instanceof JsonObject o) {
            object = o;
        } else if (recipientMeta instanceof JsonString s && !s.getString().isBlank()) {
            try (JsonReader reader = json.createReader(new StringReader(s.getString()))) {
                if (numbersInRange(scanner.createParser(new StringReader(s.getString())))
                        && reader.readValue() instanceof JsonObject o) {
                    object = o;
                }
            } catch (JsonException | IllegalStateException notAnObject) {
                // no metadata
            }
        }
        if (object == null) {
            return Map.of();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            String text = text(value);
            if (text != null) {
                metadata.put(key, text);
            }
        });
        return metadata;
    }

    /**
     * Reads a document through (and closes the parser) without converting anything, to see whether every number
     * literal is at most {@value #LONGEST_NUMBER} characters long with an exponent of at most {@value
     * #LARGEST_EXPONENT}.
     *
     * @throws JsonException when the document is not JSON
     */
    private static boolean numbersInRange(JsonParser document) {
        try (JsonParser parser = document) {
            while (parser.hasNext()) {
                // getString() gives a number's literal as written; nothing converted it yet.
                if (parser.next() == JsonParser.Event.VALUE_NUMBER && !inRange(parser.getString())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean inRange(String literal) {
        if (literal.length() > LONGEST_NUMBER) {
            return false;
        }
        int e = Math.max(literal.indexOf('e'), literal.indexOf('E'));
        if (e < 0) {
            return true;
        }
        // At most LONGEST_NUMBER digits: parsed as a BigInteger, never overflowing.
        BigInteger exponent = new BigInteger(literal.substring(e + 1));
        return exponent.abs().compareTo(BigInteger.valueOf(LARGEST_EXPONENT)) <= 0;
    }

    /** A string, or a number or boolean as its text; {@code null} for anything else or a blank string. */
    private static String text(JsonValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.getValueType()) {
            case STRING -> {
                String s = ((JsonString) value).getString();
                yield s.isBlank() ? null : s;
            }
            case NUMBER, TRUE, FALSE -> value.toString();
            default -> null;
        };
    }

    /** A whole number, or a string holding one; 0 otherwise. */
    private static int integer(JsonValue value) {
        BigDecimal number = number(value);
        if (number == null) {
            return 0;
        }
        try {
            return Math.max(0, number.intValueExact());
        } catch (ArithmeticException notWholeOrTooLarge) {
            return 0;
        }
    }

    /**
     * Milliseconds since the epoch (as Mailtarget documents), a number small enough to be seconds (as SparkPost
     * sends), or an ISO-8601 date and time; {@code null} otherwise.
     */
    private static Instant timestamp(JsonValue value) {
        BigDecimal number = number(value);
        try {
            if (number != null) {
                if (number.abs().compareTo(LARGEST_TIMESTAMP) > 0) {
                    return null;
                }
                BigDecimal millis = number.abs().compareTo(SECONDS_BELOW) < 0 ? number.movePointRight(3) : number;
                return Instant.ofEpochMilli(
                        millis.setScale(0, RoundingMode.DOWN).longValueExact());
            }
            if (value instanceof JsonString s) {
                return OffsetDateTime.parse(s.getString().trim()).toInstant();
            }
        } catch (ArithmeticException | DateTimeException unreadable) {
            // no timestamp
        }
        return null;
    }

    private static BigDecimal number(JsonValue value) {
        if (value instanceof JsonNumber n) {
            return n.bigDecimalValue();
        }
        if (value instanceof JsonString s) {
            String t = s.getString().trim();
            // Bounded: a huge exponent would make later arithmetic slow.
            if (t.length() <= 40 && t.matches("[+-]?\\d+(\\.\\d+)?")) {
                return new BigDecimal(t);
            }
        }
        return null;
    }
}
