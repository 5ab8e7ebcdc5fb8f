package io.mailpath.webhooks;

import io.mailpath.MailConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The receiver's configuration ({@value #PREFIX}* keys), read once when the application starts; every problem is
 * reported together, each naming its key.
 */
final class WebhookSettings {
    static final String PREFIX = "mailpath.webhooks.";
    static final String ENABLED = PREFIX + "enabled";
    static final String PATH = PREFIX + "path";
    static final String USERNAME = PREFIX + "username";
    static final String PASSWORD = PREFIX + "password";
    static final String MAX_BYTES = PREFIX + "max-bytes";
    static final String DEDUPE_WINDOW = PREFIX + "dedupe-window";

    /** Where the receiver listens, below the application's context root. */
    static final String DEFAULT_PATH = "/mailpath/webhooks";
    /** The largest request body accepted, in bytes (10 MiB): a batch of a few thousand events. */
    static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** How many event ids the default store remembers on each server. */
    static final int DEFAULT_DEDUPE_WINDOW = 50_000;

    /** The characters of a path segment that need no percent-encoding and mean nothing to a servlet container. */
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    /** The most a request body is read into memory, whatever is configured. */
    private static final long LARGEST_MAX_BYTES = 1024L * 1024 * 1024;

    final boolean enabled;
    final String path;
    final BasicCredentials credentials;
    final int maxBytes;
    final int dedupeWindow;

    private WebhookSettings(
            boolean enabled, String path, BasicCredentials credentials, int maxBytes, int dedupeWindow) {
        this.enabled = enabled;
        this.path = path;
        this.credentials = credentials;
        this.maxBytes = maxBytes;
        this.dedupeWindow = dedupeWindow;
    }

    /**
     * Reads and checks the configuration.
     *
     * @throws MailConfigurationException naming every key that is missing or wrong
     */
    static WebhookSettings read(Config config) {
        List<String> problems = new ArrayList<>();
        Optional<String> enabledValue = config.getOptionalValue(ENABLED, String.class);
        boolean enabled = true;
        if (enabledValue.isPresent()) {
            String v = enabledValue.get().trim();
            if (v.equalsIgnoreCase("false")) {
                enabled = false;
            } else if (!v.equalsIgnoreCase("true")) {
                problems.add(ENABLED + " must be true or false");
            }
        }
        if (!enabled) {
            return new WebhookSettings(false, null, null, 0, 0);
        }
        String path =
                config.getOptionalValue(PATH, String.class).map(String::trim).orElse(DEFAULT_PATH);
        String pathProblem = pathProblem(path);
        if (pathProblem != null) {
            problems.add(PATH + "=" + path + " cannot be reached by a request: " + pathProblem + " (write a path such"
                    + " as " + DEFAULT_PATH + ")");
        }
        Optional<String> username = config.getOptionalValue(USERNAME, String.class);
        Optional<String> password = config.getOptionalValue(PASSWORD, String.class);
        if (username.isEmpty() || username.get().isBlank()) {
            problems.add(USERNAME + " is required (the user name of the webhook's HTTP Basic authentication in"
                    + " Mailtarget's dashboard)");
        } else if (username.get().contains(":")) {
            problems.add(USERNAME + " must not contain ':' (HTTP Basic cannot carry it)");
        }
        if (password.isEmpty() || password.get().isBlank()) {
            problems.add(PASSWORD + " is required (the password of the webhook's HTTP Basic authentication in"
                    + " Mailtarget's dashboard)");
        }
        long maxBytes = number(config, MAX_BYTES, DEFAULT_MAX_BYTES, 1, LARGEST_MAX_BYTES, problems);
        long window = number(config, DEDUPE_WINDOW, DEFAULT_DEDUPE_WINDOW, 0, 10_000_000, problems);
        if (!problems.isEmpty()) {
            throw new MailConfigurationException("Mailpath configuration: " + String.join("; ", problems) + ". Set "
                    + ENABLED + "=false to deploy without the webhook receiver.");
        }
        return new WebhookSettings(
                true, path, new BasicCredentials(username.get(), password.get()), (int) maxBytes, (int) window);
    }

    /**
     * Why no request could reach a servlet mapped to this path, or {@code null} when one can. The path is mapped
     * exactly, and a container matches a request by its decoded, normalised path: a {@code .} or {@code ..} segment,
     * an empty one ({@code //}), a percent-escape, {@code ?}, {@code #} or {@code ;} never survive into it.
     */
    static String pathProblem(String path) {
        if (!path.startsWith("/")) {
            return "it must start with '/'";
        }
        if (path.equals("/") || path.endsWith("/")) {
            return "it must not end with '/'";
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                return "it must not hold '//'";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "it must not hold a '" + segment + "' segment";
            }
            if (!PLAIN_SEGMENT.matcher(segment).matches()) {
                return "its segments hold letters, digits, '.', '_', '~' and '-' only (no wildcard, space, '%', '?',"
                        + " '#', ';' or '\\')";
            }
        }
        return null;
    }

    private static long number(Config config, String key, long fallback, long min, long max, List<String> problems) {
        Optional<String> value = config.getOptionalValue(key, String.class);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from " + min + " to " + max);
        return fallback;
    }

    @Override
    public String toString() {
        return "WebhookSettings[enabled=" + enabled + ", path=" + path + ", maxBytes=" + maxBytes + ", dedupeWindow="
                + dedupeWindow + "]";
    }
}
