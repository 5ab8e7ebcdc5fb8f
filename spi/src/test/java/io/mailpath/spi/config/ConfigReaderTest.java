package io.mailpath.spi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    private static final ConfigKey<String> NAME = ConfigKey.string("mailpath.test.name", "fallback", "A name.");
    private static final ConfigKey<String> PASSWORD = ConfigKey.secret("mailpath.test.password", "A password.");
    private static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("mailpath.test.enabled", true, "A switch.");
    private static final ConfigKey<Long> SIZE = ConfigKey.number("mailpath.test.size", 20, "A size.");
    private static final ConfigKey<Long> WINDOW =
            ConfigKey.number("mailpath.test.window", 5, "A window.").atLeast(0).atMost(10);
    private static final ConfigKey<Duration> WAIT = ConfigKey.millis("mailpath.test.wait-ms", 1000, "A wait.");
    private static final ConfigKey<List<String>> ORDER = ConfigKey.list("mailpath.test.order", "An order.");
    private static final ConfigKey<String> TLS =
            ConfigKey.oneOf("mailpath.test.tls", "starttls", "A mode.", "starttls", "implicit");
    private static final ConfigKey<ChronoUnit> UNIT =
            ConfigKey.oneOf("mailpath.test.unit", ChronoUnit.class, ChronoUnit.MILLIS, "A unit.");

    private static final Map<String, String> VALUES = Map.of(
            "mailpath.test.name", "  billing  ",
            "mailpath.test.password", " s3cret ",
            "mailpath.test.enabled", "FALSE",
            "mailpath.test.size", " 42 ",
            "mailpath.test.wait-ms", "250",
            "mailpath.test.order", "api, smtp,,",
            "mailpath.test.tls", "Implicit",
            "mailpath.test.unit", "seconds",
            "mailpath.test.blank", "   ");

    @Test
    void readsEveryTypeFromPlainPropertiesAndFromMicroProfileConfig() {
        for (ConfigReader reader :
                List.of(ConfigReader.of(VALUES), ConfigReader.of(TransportConfig.configOf(VALUES)))) {
            assertThat(reader.get(NAME)).isEqualTo("billing");
            assertThat(reader.required(PASSWORD)).isEqualTo(" s3cret ");
            assertThat(reader.get(ENABLED)).isFalse();
            assertThat(reader.get(SIZE)).isEqualTo(42);
            assertThat(reader.get(WINDOW)).isEqualTo(5);
            assertThat(reader.get(WAIT)).isEqualTo(Duration.ofMillis(250));
            assertThat(reader.optional(ORDER)).contains(List.of("api", "smtp"));
            assertThat(reader.get(TLS)).isEqualTo("implicit");
            assertThat(reader.get(UNIT)).isEqualTo(ChronoUnit.SECONDS);
            assertThat(reader.text("mailpath.test.blank")).isEmpty();
            assertThat(reader.startingWith("mailpath.test.t")).containsOnlyKeys("mailpath.test.tls");
        }
    }

    @Test
    void aBlankValueIsNotSet() {
        ConfigReader reader = ConfigReader.of(Map.of("mailpath.test.name", " ", "mailpath.test.password", ""));
        assertThat(reader.get(NAME)).isEqualTo("fallback");
        assertThatThrownBy(() -> reader.required(PASSWORD))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessage("mailpath.test.password is required");
    }

    @Test
    void everyErrorNamesTheKeyAndWhatWasExpected() {
        assertThat(problem(ENABLED, "yes")).isEqualTo("mailpath.test.enabled must be true or false, not 'yes'");
        assertThat(problem(SIZE, "0")).isEqualTo("mailpath.test.size must be a whole number greater than 0, not '0'");
        assertThat(problem(SIZE, "many"))
                .isEqualTo("mailpath.test.size must be a whole number greater than 0, not 'many'");
        assertThat(problem(WINDOW, "11"))
                .isEqualTo("mailpath.test.window must be a whole number from 0 to 10, not '11'");
        assertThat(problem(WAIT, "-1"))
                .isEqualTo("mailpath.test.wait-ms must be a number of milliseconds greater than 0, not '-1'");
        assertThat(problem(WAIT.atLeast(0), "-1"))
                .isEqualTo("mailpath.test.wait-ms must be a number of milliseconds, 0 or greater, not '-1'");
        assertThat(problem(ORDER, "api,smtp,api"))
                .isEqualTo("mailpath.test.order must be a comma-separated list naming each entry once, not"
                        + " 'api,smtp,api'");
        assertThat(problem(TLS, "ssl")).isEqualTo("mailpath.test.tls must be one of starttls, implicit, not 'ssl'");
    }

    @Test
    void aSecretsValueIsNeverQuoted() {
        ConfigKey<Long> secretNumber =
                ConfigKey.number("mailpath.test.pin", 1, "A pin.").secret();
        assertThat(problem(secretNumber, "s3cret"))
                .isEqualTo("mailpath.test.pin must be a whole number greater than 0");
        assertThat(PASSWORD.invalid("printable ASCII", "s3cret").getMessage())
                .isEqualTo("mailpath.test.password must be printable ASCII");
    }

    @Test
    void aKeyWithoutADefaultIsReadAsOptionalOrRequired() {
        ConfigReader empty = ConfigReader.of(Map.of());
        assertThat(empty.optional(ORDER)).isEmpty();
        assertThatThrownBy(() -> empty.get(ORDER)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ORDER.documentedDefault()).isEqualTo("—");
        assertThat(WAIT.documentedDefault()).isEqualTo("`1000`");
        assertThat(SIZE.documentedDefault("20 entries").documentedDefault()).isEqualTo("20 entries");
    }

    private static String problem(ConfigKey<?> key, String value) {
        ConfigReader reader = ConfigReader.of(Map.of(key.name(), value));
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.optional(key));
        assertThat(thrown).isInstanceOf(MailConfigurationException.class);
        return thrown.getMessage();
    }

    @Test
    void aStreamReadsItsOwnKeyFirstAndSharesTheRest() {
        ConfigReader marketing = ConfigReader.of(Map.of(
                        "mailpath.test.name", "shared",
                        "mailpath.test.size", "7",
                        "mailpath.stream.marketing.test.name", "own",
                        "mailpath.stream.marketing.test.blank", "  ",
                        "mailpath.test.blank", "shared-because-own-is-blank",
                        "mailpath.stream.other.test.size", "99"))
                .inStream("marketing");

        assertThat(marketing.get(NAME)).isEqualTo("own");
        assertThat(marketing.get(SIZE)).isEqualTo(7);
        assertThat(marketing.text("mailpath.test.blank")).contains("shared-because-own-is-blank");
        assertThat(marketing.keyFor("mailpath.test.name")).isEqualTo("mailpath.stream.marketing.test.name");
        assertThat(marketing.keyFor("mailpath.test.size")).isEqualTo("mailpath.test.size");
        // Keys of other specifications are never a stream's.
        assertThat(marketing.keyFor("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries"))
                .isEqualTo("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries");
    }

    @Test
    void aStreamsErrorNamesTheKeyItsValueCameFrom() {
        ConfigReader marketing = ConfigReader.of(
                        Map.of("mailpath.test.size", "7", "mailpath.stream.marketing.test.window", "11"))
                .inStream("marketing");

        assertThatThrownBy(() -> marketing.get(WINDOW))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageStartingWith("mailpath.stream.marketing.test.window must be");
        assertThatThrownBy(() -> marketing.required(PASSWORD))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.stream.marketing.test.password is required")
                .hasMessageContaining("mailpath.test.password, shared by every stream");
    }

    @Test
    void aStreamsPassThroughKeysStandOverTheSharedOnesUnderTheSharedNames() {
        ConfigReader marketing = ConfigReader.of(Map.of(
                        "mailpath.test.mail.a", "shared-a",
                        "mailpath.test.mail.b", "shared-b",
                        "mailpath.stream.marketing.test.mail.b", "own-b",
                        "mailpath.stream.marketing.test.mail.c", "own-c"))
                .inStream("marketing");

        assertThat(marketing.startingWith("mailpath.test.mail."))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "mailpath.test.mail.a", "shared-a",
                        "mailpath.test.mail.b", "own-b",
                        "mailpath.test.mail.c", "own-c"));
        // The unnamed stream reads only the shared keys.
        assertThat(ConfigReader.of(Map.of("mailpath.stream.marketing.test.name", "own"))
                        .get(NAME))
                .isEqualTo("fallback");
    }

    /**
     * A stream's secret written blank (an unset {@code ${MARKETING_API_KEY}}, a secret not mounted) must not make the
     * stream send with the shared secret, another account's: that is the very mixing streams exist to prevent, and
     * nothing would say so. The stream's key is missing, and a required one says which.
     */
    @Test
    void aStreamsSecretWrittenBlankIsNotReplacedByTheSharedSecret() {
        ConfigReader marketing = ConfigReader.of(Map.of(
                        "mailpath.test.password", "transactional-account-secret",
                        "mailpath.stream.marketing.test.password", ""))
                .inStream("marketing");

        assertThat(marketing.optional(PASSWORD)).isEmpty();
        assertThatThrownBy(() -> marketing.required(PASSWORD))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.stream.marketing.test.password");
    }
}
