package io.mailpath.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys are checked when the application starts; every problem is reported at once, naming its key. */
class WebhookSettingsTest {
    private static WebhookSettings read(Map<String, String> keys) {
        return WebhookSettings.read(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(keys, "test", 500))
                .build());
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> keys = new HashMap<>(Receiver.keys());
        keys.put(key, value);
        return keys;
    }

    @Test
    void theDefaults() {
        WebhookSettings settings = read(Receiver.keys());

        assertThat(settings.enabled).isTrue();
        assertThat(settings.path).isEqualTo("/mailpath/webhooks");
        assertThat(settings.maxBytes).isEqualTo(10 * 1024 * 1024);
        assertThat(settings.dedupeWindow).isEqualTo(50_000);
        assertThat(settings.credentials.matches(Receiver.basic(Receiver.USER, Receiver.PASSWORD)))
                .isTrue();
    }

    @Test
    void noKeyAtAllNamesBothCredentials() {
        assertThatThrownBy(() -> read(Map.of()))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.webhooks.username is required")
                .hasMessageContaining("mailpath.webhooks.password is required")
                .hasMessageContaining("mailpath.webhooks.enabled=false");
    }

    @Test
    void aBlankPasswordIsMissing() {
        assertThatThrownBy(() -> read(with(WebhookSettings.PASSWORD, "   ")))
                .hasMessageContaining("mailpath.webhooks.password is required");
    }

    @Test
    void wrongValuesAreNamed() {
        Map<String, String> keys = with(WebhookSettings.PATH, "/hooks/*");
        keys.put(WebhookSettings.USERNAME, "a:b");
        keys.put(WebhookSettings.MAX_BYTES, "0");
        keys.put(WebhookSettings.DEDUPE_WINDOW, "many");

        assertThatThrownBy(() -> read(keys))
                .hasMessageContaining("mailpath.webhooks.path must be a path a request can reach")
                .hasMessageContaining("mailpath.webhooks.username must be a user name without ':'")
                .hasMessageContaining("mailpath.webhooks.max-bytes must be a whole number")
                .hasMessageContaining("mailpath.webhooks.dedupe-window must be a whole number");
        assertThatThrownBy(() -> read(with(WebhookSettings.ENABLED, "yes")))
                .hasMessageContaining("mailpath.webhooks.enabled must be true or false");
    }

    @Test
    void credentialsPastedIntoTheUserNameAreNotEchoed() {
        // HTTP Basic credentials are often written "user:password": pasted whole into the user name key, the
        // password must not reach the deployment error (and the server's log).
        assertThatThrownBy(() -> read(with(WebhookSettings.USERNAME, "hooks:Pa'ss, not 'x")))
                .hasMessageContaining("mailpath.webhooks.username must be a user name without ':'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Pa'ss"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/hooks/../mailtarget",
                "/hooks/./mailtarget",
                "/hooks/..",
                "/.",
                "//hooks",
                "/hooks//mailtarget",
                "/hooks/",
                "/",
                "hooks",
                "/hooks?x=1",
                "/hooks#x",
                "/hooks%2Fmailtarget",
                "/hooks/*",
                "/hooks mailtarget",
                "/hooks;v=1",
                "/hooks\\mailtarget"
            })
    void aPathNoRequestCouldReachIsRefusedNamingTheKey(String path) {
        assertThatThrownBy(() -> read(with(WebhookSettings.PATH, path)))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("mailpath.webhooks.path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hooks/mailtarget", "/a", "/v1.2/hooks", "/hooks/mail-target_2~x", "/...hidden"})
    void aPlainPathIsTaken(String path) {
        assertThat(read(with(WebhookSettings.PATH, path)).path).isEqualTo(path);
    }

    @Test
    void noMessageOrToStringHoldsThePassword() {
        assertThatThrownBy(() -> read(with(WebhookSettings.PATH, "no-slash")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Receiver.PASSWORD));
        WebhookSettings settings = read(Receiver.keys());
        assertThat(settings.toString()).doesNotContain(Receiver.PASSWORD);
        assertThat(settings.credentials.toString()).doesNotContain(Receiver.PASSWORD);
    }

    @Test
    void disabledNeedsNothingElse() {
        assertThat(read(Map.of(WebhookSettings.ENABLED, "false")).enabled).isFalse();
    }
}
