package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.config.ConfigReader;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A number the SMTP transport hands on as an {@code int} (a port, a pool size, a Jakarta Mail timeout) fails the
 * deployment naming its key when it does not fit, rather than wrapping around to another value (a port of 4294967883
 * is 587) or, for a timeout, making Jakarta Mail wait forever.
 */
class SmtpSettingsBoundsTest {
    private static SmtpSettings read(String key, String value) {
        return SmtpSettings.from(TransportConfig.of(
                "smtp", ConfigReader.of(Map.of("mailpath.smtp.host", "smtp.example.com", key, value))));
    }

    @ParameterizedTest
    @CsvSource({
        "mailpath.smtp.port, 65536",
        "mailpath.smtp.port, 4294967883",
        "mailpath.smtp.pool.max-connections, 2147483648",
        "mailpath.smtp.pool.max-messages-per-connection, 4294967297",
        "mailpath.smtp.connect-timeout-ms, 2147483648",
        "mailpath.smtp.read-timeout-ms, 9223372036854775807",
        "mailpath.smtp.write-timeout-ms, 3000000000"
    })
    void aNumberThatDoesNotFitIsRefusedNamingItsKey(String key, String value) {
        assertThatThrownBy(() -> read(key, value))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageStartingWith(key + " must be ")
                .hasMessageContaining(value);
    }

    @ParameterizedTest
    @CsvSource({
        "mailpath.smtp.port, 65535",
        "mailpath.smtp.pool.max-connections, 2147483647",
        "mailpath.smtp.read-timeout-ms, 2147483647"
    })
    void theLargestThatFitsIsTaken(String key, String value) {
        assertThat(read(key, value)).isNotNull();
    }
}
