package io.mailpath.spi.config;

import io.mailpath.MailConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name, its type, its default, a sentence that says what it does, and whether its value is
 * a secret. Each key Mailpath reads is one such constant, read with a {@link ConfigReader}; the configuration
 * reference is generated from these constants.
 *
 * <p>A key also turns a configured text into its value. Every problem is reported in one format that names the key
 * and what was expected: {@code mailpath.smtp.port must be a whole number from 1 to 65535, not 'abc'}. The value is
 * quoted only when the key is not secret.
 *
 * @param <T> the type of the key's value
 */
public final class ConfigKey<T> {
    /** The prefix of every Mailpath key. */
    public static final String PREFIX = "mailpath.";

    /** The kinds of value a key holds. */
    public enum Type {
        /** A text, stripped of leading and trailing white space (a secret is kept as written). */
        STRING,
        /** {@code true} or {@code false}, in any case. */
        BOOLEAN,
        /** A whole number within the key's bounds. */
        NUMBER,
        /** A whole number of milliseconds within the key's bounds, read as a {@link Duration}. */
        MILLIS,
        /** Comma-separated names, each at most once. */
        LIST,
        /** One of a fixed set of names, in any case. */
        CHOICE
    }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final String documentedDefault;
    private final String description;
    private final boolean secret;
    private final long min;
    /** The upper bound of a number; for a list, 0 when repeated names are dropped rather than refused. */
    private final long max;

    private final List<String> choices;
    private final Function<String, T> choice;

    private ConfigKey(
            String name,
            Type type,
            T defaultValue,
            String documentedDefault,
            String description,
            boolean secret,
            long min,
            long max,
            List<String> choices,
            Function<String, T> choice) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.defaultValue = defaultValue;
        this.documentedDefault = documentedDefault;
        this.description = Objects.requireNonNull(description, "description");
        this.secret = secret;
        this.min = min;
        this.max = max;
        this.choices = choices;
        this.choice = choice;
    }

    private static <T> ConfigKey<T> of(String name, Type type, T defaultValue, String description, long min) {
        return new ConfigKey<>(
                name, type, defaultValue, null, description, false, min, Long.MAX_VALUE, List.of(), null);
    }

    /** A text without a default. */
    public static ConfigKey<String> string(String name, String description) {
        return of(name, Type.STRING, null, description, 0);
    }

    /** A text with a default. */
    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return of(name, Type.STRING, defaultValue, description, 0);
    }

    /** A secret text: its value is never quoted in a message, and kept as written (no white space stripped). */
    public static ConfigKey<String> secret(String name, String description) {
        return string(name, description).secret();
    }

    /** {@code true} or {@code false}. */
    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
        return of(name, Type.BOOLEAN, defaultValue, description, 0);
    }

    /** A whole number greater than 0 ({@link #atLeast} and {@link #atMost} change the bounds). */
    public static ConfigKey<Long> number(String name, long defaultValue, String description) {
        return of(name, Type.NUMBER, defaultValue, description, 1);
    }

    /** A whole number greater than 0 without a default. */
    public static ConfigKey<Long> number(String name, String description) {
        return of(name, Type.NUMBER, null, description, 1);
    }

    /** A number of milliseconds greater than 0 ({@link #atLeast} and {@link #atMost} change the bounds). */
    public static ConfigKey<Duration> millis(String name, long defaultMillis, String description) {
        return of(name, Type.MILLIS, Duration.ofMillis(defaultMillis), description, 1);
    }

    /** A number of milliseconds greater than 0 without a default. */
    public static ConfigKey<Duration> millis(String name, String description) {
        return of(name, Type.MILLIS, null, description, 1);
    }

    /** Comma-separated names, each at most once; empty entries are skipped. */
    public static ConfigKey<List<String>> list(String name, String description) {
        return of(name, Type.LIST, null, description, 0);
    }

    /**
     * This list key read by a reader that only needs the distinct names, such as a count: a repeated name is
     * dropped rather than refused (whoever owns the key refuses it).
     */
    public ConfigKey<T> ignoringRepeats() {
        return new ConfigKey<>(
                name, type, defaultValue, documentedDefault, description, secret, min, 0, choices, choice);
    }

    /** One of the given names, in any case; the value is the name as given here. */
    public static ConfigKey<String> oneOf(String name, String defaultValue, String description, String... choices) {
        return choice(name, defaultValue, description, List.of(choices), Function.identity());
    }

    /** One constant of an enum, named in any case. */
    public static <E extends Enum<E>> ConfigKey<E> oneOf(
            String name, Class<E> type, E defaultValue, String description) {
        return choice(name, defaultValue, description, List.of(type.getEnumConstants()), Enum::name);
    }

    private static <T> ConfigKey<T> choice(
            String name, T defaultValue, String description, List<T> values, Function<T, String> nameOf) {
        List<String> names = values.stream().map(nameOf).toList();
        Function<String, T> named = text -> values.stream()
                .filter(v -> nameOf.apply(v).equalsIgnoreCase(text))
                .findFirst()
                .orElse(null);
        return new ConfigKey<>(name, Type.CHOICE, defaultValue, null, description, false, 0, 0, names, named);
    }

    /** This key with a lower bound (numbers and milliseconds). */
    public ConfigKey<T> atLeast(long min) {
        return new ConfigKey<>(
                name, type, defaultValue, documentedDefault, description, secret, min, max, choices, choice);
    }

    /** This key with an upper bound (numbers and milliseconds). */
    public ConfigKey<T> atMost(long max) {
        return new ConfigKey<>(
                name, type, defaultValue, documentedDefault, description, secret, min, max, choices, choice);
    }

    /** This key under another name, such as a stream's ({@code mailpath.stream.marketing.api.key}). */
    public ConfigKey<T> renamed(String otherName) {
        return new ConfigKey<>(
                otherName, type, defaultValue, documentedDefault, description, secret, min, max, choices, choice);
    }

    /** This key, marked secret: its value is never quoted in a message and kept as written. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(
                name, type, defaultValue, documentedDefault, description, true, min, max, choices, choice);
    }

    /**
     * This key with its default described in words, for a default that depends on other keys or on the class path;
     * the reference shows these words instead of the value.
     */
    public ConfigKey<T> documentedDefault(String words) {
        return new ConfigKey<>(name, type, defaultValue, words, description, secret, min, max, choices, choice);
    }

    /** The full name, such as {@code mailpath.smtp.port}. */
    public String name() {
        return name;
    }

    /** The kind of value. */
    public Type type() {
        return type;
    }

    /** The value used when the key is not set; {@code null} when it has none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** What the key does, in a sentence or two. */
    public String description() {
        return description;
    }

    /** Whether the value is a secret. */
    public boolean isSecret() {
        return secret;
    }

    /**
     * The default as the reference shows it (Markdown): the words given, the value in backticks, or {@code —} when
     * there is none.
     */
    public String documentedDefault() {
        if (documentedDefault != null) {
            return documentedDefault;
        }
        if (defaultValue == null) {
            return "—";
        }
        return "`" + (defaultValue instanceof Duration d ? Long.toString(d.toMillis()) : defaultValue.toString()) + "`";
    }

    /** What a valid value looks like, as the error messages say it. */
    public String expected() {
        return switch (type) {
            case STRING -> "a text";
            case BOOLEAN -> "true or false";
            case NUMBER -> "a whole number" + bounds();
            case MILLIS -> "a number of milliseconds" + bounds();
            case LIST -> "a comma-separated list naming each entry once";
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    private String bounds() {
        if (max != Long.MAX_VALUE) {
            return " from " + min + " to " + max;
        }
        if (min == Long.MIN_VALUE) {
            return "";
        }
        return min == 1 ? " greater than 0" : min == 0 ? ", 0 or greater" : " of at least " + min;
    }

    /**
     * Converts a configured text, which is set and not blank.
     *
     * @throws MailConfigurationException in the one format, when the text is not a valid value
     */
    @SuppressWarnings("unchecked")
    public T parse(String text) {
        String value = text.strip();
        return switch (type) {
            case STRING -> (T) (secret ? text : value);
            case BOOLEAN -> {
                if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                    yield (T) Boolean.valueOf(value.equalsIgnoreCase("true"));
                }
                throw invalid(text);
            }
            case NUMBER -> (T) Long.valueOf(bounded(value, text));
            case MILLIS -> (T) Duration.ofMillis(bounded(value, text));
            case LIST -> {
                List<String> names = new ArrayList<>();
                for (String entry : value.split(",")) {
                    String n = entry.strip();
                    if (n.isEmpty()) {
                        continue;
                    }
                    if (!names.contains(n)) {
                        names.add(n);
                    } else if (max != 0) {
                        throw invalid(text);
                    }
                }
                yield (T) List.copyOf(names);
            }
            case CHOICE -> {
                T chosen = choice.apply(value);
                if (chosen == null) {
                    throw invalid(text);
                }
                yield chosen;
            }
        };
    }

    private long bounded(String value, String text) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (n < min || n > max) {
            throw invalid(text);
        }
        return n;
    }

    /** The error for a value that is not what this key expects. */
    public MailConfigurationException invalid(String value) {
        return invalid(expected(), value);
    }

    /**
     * The error for a value that is not what this key expects, in the one format: the key, what was expected, and the
     * value unless the key is secret or the value {@code null}.
     */
    public MailConfigurationException invalid(String expected, String value) {
        String shown = secret || value == null ? "" : ", not '" + value.strip() + "'";
        return new MailConfigurationException(name + " must be " + expected + shown);
    }

    /** The error for a key that must be set but is not. */
    public MailConfigurationException missing() {
        return new MailConfigurationException(name + " is required");
    }

    /** The error for a key that must be set in a situation, such as {@code "when mailpath.smtp.username is set"}. */
    public MailConfigurationException missing(String when) {
        return new MailConfigurationException(name + " is required " + when);
    }

    /** The name, never a value. */
    @Override
    public String toString() {
        return name;
    }
}
