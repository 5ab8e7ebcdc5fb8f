package io.mailpath.webhooks;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.ConfigReader;
import io.mailpath.spi.config.KeyGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The receiver's configuration ({@value #PREFIX}* keys), read once when the application starts; every problem is
 * reported together, each naming its key. Public only for its {@link #KEYS}.
 */
public final class WebhookSettings {
    static final String PREFIX = ConfigKey.PREFIX + "webhooks.";
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
    /** The most a request body is read into memory, whatever is configured. */
    private static final long LARGEST_MAX_BYTES = 1024L * 1024 * 1024;

    static final ConfigKey<Boolean> ENABLED_KEY = ConfigKey.bool(
            ENABLED,
            true,
            "With the jar present the receiver is on, and missing credentials fail the deployment; `false` deploys"
                    + " without a receiver.");
    static final ConfigKey<String> PATH_KEY = ConfigKey.string(
            PATH,
            DEFAULT_PATH,
            "Where the receiver listens, below the context root: an exact path of segments made of letters, digits,"
                    + " `.`, `_`, `~` and `-`; a path no request could reach fails the deployment.");
    static final ConfigKey<String> USERNAME_KEY = ConfigKey.string(
                    USERNAME, "The user name of the webhook's HTTP Basic authentication (no `:`).")
            .documentedDefault("— (required)");
    static final ConfigKey<String> PASSWORD_KEY = ConfigKey.secret(
                    PASSWORD, "Its password; empty counts as missing; never logged.")
            .documentedDefault("— (required)");
    static final ConfigKey<Long> MAX_BYTES_KEY = ConfigKey.number(
                    MAX_BYTES,
                    DEFAULT_MAX_BYTES,
                    "A larger request body is answered 413; bytes are counted as read, whatever Content-Length says.")
            .atMost(LARGEST_MAX_BYTES);
    static final ConfigKey<Long> DEDUPE_WINDOW_KEY = ConfigKey.number(
                    DEDUPE_WINDOW,
                    DEFAULT_DEDUPE_WINDOW,
                    "How many delivered event ids each server remembers to drop repeats (`0`: none); an application"
                            + " bean implementing `EventIdStore` replaces it across a cluster.")
            .atLeast(0)
            .atMost(10_000_000);

    /** The receiver's keys ({@code mailpath.webhooks.*}), for the configuration reference. */
    public static final KeyGroup KEYS = KeyGroup.of(
            "Delivery webhooks",
            "The receiver Mailtarget's delivery webhooks post to; it needs HTTP Basic credentials.",
            ENABLED_KEY,
            PATH_KEY,
            USERNAME_KEY,
            PASSWORD_KEY,
            MAX_BYTES_KEY,
            DEDUPE_WINDOW_KEY);

    /** The characters of a path segment that need no percent-encoding and mean nothing to a servlet container. */
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");

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
        ConfigReader r = ConfigReader.of(config);
        List<String> problems = new ArrayList<>();
        if (!collect(problems, () -> r.get(ENABLED_KEY), true)) {
            return new WebhookSettings(false, null, null, 0, 0);
        }
        String path = r.get(PATH_KEY);
        String pathProblem = pathProblem(path);
        if (pathProblem != null) {
            problems.add(
                    PATH_KEY.invalid("a path a request can reach (" + pathProblem + "), such as " + DEFAULT_PATH, path)
                            .getMessage());
        }
        Optional<String> username = r.optional(USERNAME_KEY);
        Optional<String> password = r.optional(PASSWORD_KEY);
        if (username.isEmpty()) {
            problems.add(USERNAME_KEY
                    .missing("(the user name of the webhook's HTTP Basic authentication in Mailtarget's dashboard)")
                    .getMessage());
        } else if (username.get().contains(":")) {
            problems.add(USERNAME_KEY
                    // Not quoted: a value with ':' is often "user:password" pasted whole.
                    .invalid("a user name without ':' (HTTP Basic cannot carry it)", null)
                    .getMessage());
        }
        if (password.isEmpty()) {
            problems.add(PASSWORD_KEY
                    .missing("(the password of the webhook's HTTP Basic authentication in Mailtarget's dashboard)")
                    .getMessage());
        }
        long maxBytes = collect(problems, () -> r.get(MAX_BYTES_KEY), DEFAULT_MAX_BYTES);
        long window = collect(problems, () -> r.get(DEDUPE_WINDOW_KEY), (long) DEFAULT_DEDUPE_WINDOW);
        if (!problems.isEmpty()) {
            throw new MailConfigurationException("Mailpath configuration: " + String.join("; ", problems) + ". Set "
                    + ENABLED + "=false to deploy without the webhook receiver.");
        }
        return new WebhookSettings(
                true, path, new BasicCredentials(username.get(), password.get()), (int) maxBytes, (int) window);
    }

    /** A value, or the fallback with its problem noted, so that every problem is reported at once. */
    private static <T> T collect(List<String> problems, Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (MailConfigurationException e) {
            problems.add(e.getMessage());
            return fallback;
        }
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

    @Override
    public String toString() {
        return "WebhookSettings[enabled=" + enabled + ", path=" + path + ", maxBytes=" + maxBytes + ", dedupeWindow="
                + dedupeWindow + "]";
    }
}
