package io.mailpath.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportConfigTest {
    private final TransportConfig config = TransportConfig.of(
            "smtp",
            TransportConfig.configOf(Map.of(
                    "mailpath.smtp.port", "587",
                    "mailpath.smtp.password", "s3cret-value",
                    "mailpath.smtp.blank", "  ",
                    "mailpath.smtp.timeout-ms", "soon",
                    "mailpath.smtp.zero", "0",
                    "mailpath.smtp.ratio", "0.25",
                    "mailpath.smtp.bad-ratio", "s3cret-value",
                    "mailpath.smtp.mail.smtp.localhost", "client.example.com",
                    "mailpath.api.key", "other")));

    @Test
    void readsTypedValuesUnderTheTransportsPrefix() {
        assertThat(config.get("port", Integer.class)).contains(587);
        assertThat(config.get("missing", Integer.class, 25)).isEqualTo(25);
        assertThat(config.get("blank")).isEmpty();
        assertThat(config.get("key")).isEmpty();
        assertThat(config.key("host")).isEqualTo("mailpath.smtp.host");
    }

    @Test
    void invalidValuesNameTheKeyButNotTheValue() {
        assertThatThrownBy(() -> config.get("timeout-ms", Long.class))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.smtp.timeout-ms")
                .hasMessageNotContaining("soon");
        assertThatThrownBy(() -> config.positive("zero", 5))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.smtp.zero must be a whole number greater than 0");
        assertThatThrownBy(() -> config.get("password", Integer.class)).hasMessageNotContaining("s3cret-value");
    }

    /**
     * A transport written against 0.1.0 reads its own keys of any type MicroProfile Config converts, and reaches the
     * Config itself: both still work, the second deprecated.
     */
    @Test
    @SuppressWarnings("removal")
    void aTransportWrittenAgainst010StillReadsItsKeys() {
        assertThat(config.get("ratio", Double.class)).contains(0.25);
        assertThat(config.get("missing", java.net.URI.class)).isEmpty();
        assertThatThrownBy(() -> config.get("bad-ratio", Double.class))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.smtp.bad-ratio")
                .hasMessageNotContaining("s3cret-value");
        assertThat(config.config().getValue("mailpath.smtp.port", Integer.class))
                .isEqualTo(587);
    }

    @Test
    void passesThroughLibraryKeys() {
        assertThat(config.passThrough("mail.")).containsExactly(Map.entry("mail.smtp.localhost", "client.example.com"));
    }

    @Test
    void toStringShowsNoValues() {
        assertThat(config.toString()).doesNotContain("s3cret-value");
    }
}
