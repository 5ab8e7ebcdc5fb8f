package io.mailpath.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.config.ConfigReader;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HealthSettingsTest {
    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
    }

    @Test
    void theWindowIsTheKeysValue() {
        assertThat(HealthSettings.failureWindow(
                        config(Map.of(HealthSettings.FAILURE_WINDOW, "120000")), Optional.of(Duration.ofSeconds(30))))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void withoutTheKeyTheWindowIsTheCircuitBreakersDelayOrHalfAMinute() {
        assertThat(HealthSettings.failureWindow(config(Map.of()), Optional.of(Duration.ofSeconds(45))))
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(HealthSettings.failureWindow(config(Map.of()), Optional.empty()))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(HealthSettings.failureWindow(config(Map.of()), Optional.of(Duration.ZERO)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "30s"})
    void aWindowThatIsNotAPositiveNumberOfMillisecondsIsAConfigurationError(String value) {
        assertThatThrownBy(() -> HealthSettings.failureWindow(
                        config(Map.of(HealthSettings.FAILURE_WINDOW, value)), Optional.empty()))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining(HealthSettings.FAILURE_WINDOW);
    }

    @Test
    void aStreamsWindowIsItsOwnKeyElseTheSharedOne() {
        Config both = config(Map.of(
                HealthSettings.FAILURE_WINDOW, "120000", "mailpath.stream.marketing.health.failure-window-ms", "5000"));
        assertThat(HealthSettings.failureWindow(ConfigReader.of(both).inStream("marketing"), Optional.empty()))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(HealthSettings.failureWindow(ConfigReader.of(both).inStream("transactional"), Optional.empty()))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void noStreamIsRequiredUnlessListed() {
        assertThat(HealthSettings.requiredStreams(config(Map.of("mailpath.streams", "transactional,marketing"))))
                .isEmpty();
        assertThat(HealthSettings.requiredStreams(config(Map.of(
                        "mailpath.streams",
                        "transactional,marketing",
                        HealthSettings.REQUIRED_STREAMS,
                        "transactional"))))
                .containsExactly("transactional");
    }

    @Test
    void aRequiredStreamThatIsNotConfiguredIsAConfigurationError() {
        assertThatThrownBy(() -> HealthSettings.requiredStreams(config(Map.of(
                        "mailpath.streams", "transactional", HealthSettings.REQUIRED_STREAMS, "transactionnal"))))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining(HealthSettings.REQUIRED_STREAMS)
                .hasMessageContaining("transactionnal");
    }
}
