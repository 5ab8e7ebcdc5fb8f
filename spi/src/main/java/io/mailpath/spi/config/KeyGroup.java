package io.mailpath.spi.config;

import java.util.List;

/**
 * The keys of one area (a transport, the routing, the outbox, ...), as the configuration reference shows them: one
 * table under the title, after a sentence or two of introduction.
 *
 * @param title the area's heading, such as {@code SMTP transport}
 * @param introduction what the reader needs before the table; may be empty
 * @param keys the area's keys, in the order the table lists them
 */
public record KeyGroup(String title, String introduction, List<ConfigKey<?>> keys) {
    public KeyGroup {
        keys = List.copyOf(keys);
    }

    /** A group of keys. */
    public static KeyGroup of(String title, String introduction, ConfigKey<?>... keys) {
        return new KeyGroup(title, introduction, List.of(keys));
    }
}
