package io.mailpath.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.health.HealthSettings;
import io.mailpath.health.canary.CanarySettings;
import io.mailpath.outbox.cdi.OutboxConfiguration;
import io.mailpath.routing.FaultToleranceConfig;
import io.mailpath.routing.RoutingConfig;
import io.mailpath.spi.config.ConfigKey;
import io.mailpath.spi.config.KeyGroup;
import io.mailpath.telemetry.OpenTelemetryKeys;
import io.mailpath.transport.api.ApiTransportProvider;
import io.mailpath.transport.smtp.SmtpTransportProvider;
import io.mailpath.webhooks.WebhookSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/reference/configuration.md} is generated from the key constants of every module: this test fails when
 * the committed file differs from what the constants say, and rewrites it when run with
 * {@value #REGENERATE}{@code =true}.
 */
class ConfigurationReferenceTest {
    /** The system property that makes the test rewrite the file instead of failing. */
    static final String REGENERATE = "mailpath.docs.regenerate";

    /** The command that rewrites the file, as the failure says it. */
    static final String COMMAND = "mvn -B -o test -pl reference -am -Dtest=ConfigurationReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + REGENERATE + "=true";

    /** Every area's keys, in the order the reference lists them. */
    static final List<KeyGroup> GROUPS = List.of(
            RoutingConfig.KEYS,
            RoutingConfig.STREAM_KEYS,
            FaultToleranceConfig.KEYS,
            ApiTransportProvider.KEYS,
            SmtpTransportProvider.KEYS,
            WebhookSettings.KEYS,
            HealthSettings.KEYS,
            CanarySettings.KEYS,
            OpenTelemetryKeys.KEYS,
            OutboxConfiguration.KEYS);

    /** The file, from this module's folder (Surefire's working directory). */
    private static final Path FILE = Path.of("..", "docs", "reference", "configuration.md");

    @Test
    void theCommittedReferenceIsTheOneTheKeysGenerate() throws IOException {
        String generated = ConfigurationReference.render(GROUPS, COMMAND);
        if (Boolean.getBoolean(REGENERATE)) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .as(
                        "docs/reference/configuration.md is not what the key constants generate; regenerate it with:%n  %s",
                        COMMAND)
                .isEqualTo(generated);
    }

    @Test
    void everyKeyIsListedOnceWithADescription() {
        Set<String> names = new HashSet<>();
        for (KeyGroup group : GROUPS) {
            assertThat(group.keys()).as(group.title()).isNotEmpty();
            for (ConfigKey<?> key : group.keys()) {
                assertThat(names.add(key.name()))
                        .as("%s is listed twice", key.name())
                        .isTrue();
                assertThat(key.description()).as(key.name()).endsWith(".").doesNotContain("\n");
            }
        }
        assertThat(names)
                .filteredOn(n -> !n.startsWith(ConfigKey.PREFIX))
                .allMatch(n -> n.startsWith("io.mailpath.routing.")
                        || n.startsWith("otel.")
                        || n.equals(FaultToleranceConfig.NON_FALLBACK_ENABLED));
    }

    @Test
    void theSecretsAreMarkedSecret() {
        List<String> secrets = GROUPS.stream()
                .flatMap(g -> g.keys().stream())
                .filter(ConfigKey::isSecret)
                .map(ConfigKey::name)
                .toList();
        assertThat(secrets)
                .containsExactlyInAnyOrder(
                        "mailpath.api.key",
                        "mailpath.smtp.password",
                        "mailpath.smtp.trust-store-password",
                        "mailpath.webhooks.password");
    }
}
