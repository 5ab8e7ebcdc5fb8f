package io.mailpath.reference;

import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.KeyGroup;
import java.util.List;

/** Writes the configuration reference (Markdown): one table per area, each key with its default and description. */
final class ConfigurationReference {
    private ConfigurationReference() {}

    static String render(List<KeyGroup> groups, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append("<!-- Generated from the key constants (ConfigKey) of every module; do not edit by hand."
                        + " Regenerate with:\n     ")
                .append(command)
                .append(" -->\n\n");
        md.append(
                "Every key is a MicroProfile Config key: set it in `microprofile-config.properties`, as an environment"
                        + " variable or in the server's configuration. Durations are in milliseconds. A missing or invalid"
                        + " value fails the deployment with a message that names the key and what was expected; the value of a"
                        + " key marked *secret* is never shown in a message, a log or `toString()`.\n");
        for (KeyGroup group : groups) {
            md.append("\n## ").append(group.title()).append("\n\n");
            if (!group.introduction().isEmpty()) {
                md.append(group.introduction()).append("\n\n");
            }
            md.append("| Key | Default | Description |\n|---|---|---|\n");
            for (ConfigKey<?> key : group.keys()) {
                md.append("| `")
                        .append(key.name())
                        .append('`')
                        .append(key.isSecret() ? " *(secret)*" : "")
                        .append(" | ")
                        .append(cell(key.documentedDefault()))
                        .append(" | ")
                        .append(cell(key.description()))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /** A table cell: a {@code |} would end it. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
