package io.mailpath;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Checks shared by the message model. */
final class Text {
    private Text() {}

    static void requireSingleLine(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new InvalidMailException(field, "contains a line break (CR or LF), which could inject headers");
            }
            if (c == 0) {
                throw new InvalidMailException(field, "contains a NUL character");
            }
        }
    }

    static String requireNonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidMailException(field, "is required");
        }
        return value;
    }

    static void requireMaxLength(String field, String value, int max) {
        if (value.length() > max) {
            throw new InvalidMailException(field, "longer than " + max + " characters");
        }
    }

    static long utf8Size(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The size of a string map as JSON would roughly carry it: keys and values in UTF-8, plus quotes and separators. */
    static long jsonSize(Map<String, String> map) {
        long size = 2;
        for (Map.Entry<String, String> e : map.entrySet()) {
            size += utf8Size(e.getKey()) + utf8Size(e.getValue()) + 6;
        }
        return size;
    }
}
