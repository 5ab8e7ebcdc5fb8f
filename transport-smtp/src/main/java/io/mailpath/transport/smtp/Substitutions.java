package io.mailpath.transport.smtp;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills Mailtarget-style placeholders in a body sent over SMTP: {@code {{key}}} (HTML-escaped in an HTML body) and
 * {@code {{{key}}}} (inserted as is). A key without a value renders as nothing, as Mailtarget does.
 */
final class Substitutions {
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\{\\s*([A-Za-z][A-Za-z0-9_]*)\\s*}}}|\\{\\{\\s*([A-Za-z][A-Za-z0-9_]*)\\s*}}");

    private Substitutions() {}

    static String render(String template, Map<String, String> data, boolean html) {
        if (template == null || data.isEmpty() || template.indexOf("{{") < 0) {
            return template;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (m.find()) {
            boolean raw = m.group(1) != null;
            String value = data.getOrDefault(raw ? m.group(1) : m.group(2), "");
            m.appendReplacement(out, Matcher.quoteReplacement(html && !raw ? escapeHtml(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String escapeHtml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
