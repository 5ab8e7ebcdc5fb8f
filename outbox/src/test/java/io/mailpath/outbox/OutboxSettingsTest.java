package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxSettingsTest {
    @Test
    void theBuilderChangesOnlyWhatItIsTold() {
        OutboxSettings settings = OutboxSettings.builder()
                .table("app.mail_outbox")
                .lease(Duration.ofMinutes(2))
                .build();

        assertThat(settings.table()).isEqualTo("app.mail_outbox");
        assertThat(settings.lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.toBuilder()
                        .table(OutboxSettings.DEFAULT_TABLE)
                        .lease(Duration.ofMinutes(15))
                        .build())
                .isEqualTo(OutboxSettings.DEFAULTS);
    }

    @Test
    void aTableNameThatIsNotAPlainSqlNameIsRefused() {
        // The name goes into SQL text: nothing but an identifier may get there.
        for (String name : new String[] {"outbox; DROP TABLE users", "\"quoted\"", "a.b.c", "", "1table"}) {
            assertThatThrownBy(() -> OutboxSettings.builder().table(name).build())
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an unquoted SQL name");
        }
    }

    @Test
    void valuesOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> OutboxSettings.builder().lease(Duration.ZERO).build())
                .hasMessageContaining("lease");
        assertThatThrownBy(() -> OutboxSettings.builder().maxAttempts(0).build())
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> OutboxSettings.builder()
                        .backoff(Duration.ofMinutes(10), Duration.ofMinutes(1))
                        .build())
                .hasMessageContaining("maxBackoff");
    }
}
