package io.mailpath.transport.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mailpath.transport.api.ApiFixture.KEY;
import static io.mailpath.transport.api.ApiFixture.PATH;
import static io.mailpath.transport.api.ApiFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mailpath.FailureKind;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailException;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.Transports;
import io.mailpath.testing.LiveConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.ws.rs.ProcessingException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API key as it comes from real configuration: trimmed (secret files end with a newline), validated on every
 * request (it may rotate), and kept out of every text a failure carries. The fixture checks after the class that the
 * key appeared in no captured log line, exception text or {@code toString()}.
 */
class ApiKeyTest {
    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static final Logger LOG = Logger.getLogger(ApiKeyTest.class.getName());

    @Test
    void aTrailingNewlineIsTrimmed() {
        api.accept("tx-nl");
        Map<String, String> config = api.config();
        config.put("mailpath.api.key", KEY + "\r\n");

        assertThat(api.transport(config).send(simple().build()).transmissionId())
                .isEqualTo("tx-nl");

        List<LoggedRequest> requests = api.server().findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(requests).extracting(r -> r.getHeader("Authorization")).containsExactly("Bearer " + KEY);
    }

    @Test
    void aKeyWithASpaceOrControlCharacterFailsWhenTheTransportIsBuilt() {
        for (String bad : List.of(KEY.substring(0, 8) + " " + KEY.substring(8), KEY + "\u0000x", KEY + "\u00e9")) {
            Map<String, String> config = api.config();
            config.put("mailpath.api.key", bad);

            assertThatThrownBy(() -> Transports.create("api", config))
                    .isInstanceOf(MailConfigurationException.class)
                    .hasMessageContaining("mailpath.api.key")
                    .hasMessageNotContaining(KEY.substring(0, 8))
                    .hasMessageNotContaining(KEY.substring(8));
        }
    }

    @Test
    void aRotatedKeyIsValidatedOnTheNextRequest() {
        api.accept("tx-rot");
        LiveConfigSource live = new LiveConfigSource(api.config());
        DirectTransport t = api.track(new ApiTransportProvider()
                .create(TransportConfig.of(
                        "api", new SmallRyeConfigBuilder().withSources(live).build())));
        t.send(simple().build());

        live.put("mailpath.api.key", "Bearer " + KEY);
        MailException e = api.sendFailing(t, simple().build());

        assertThat(e).isInstanceOf(MailConfigurationException.class);
        assertThat(e.getMessage()).contains("mailpath.api.key").doesNotContain(KEY);
        assertThat(api.server().findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
        LOG.log(Level.WARNING, "attempt failed: " + e.getMessage(), e);
    }

    /**
     * What an {@code HttpURLConnection}-based Rest Client (not the one in this JVM) throws for a header value with a
     * newline: its message quotes the whole header, key included. Classified, nothing of it survives.
     */
    @Test
    void aClientFailureQuotingTheHeaderLeaksNothing() {
        RuntimeException leak = new ProcessingException(
                new IllegalArgumentException("Illegal character(s) in message header value: Bearer " + KEY + "\n"));

        for (ExchangeTracker.Phase phase : ExchangeTracker.Phase.values()) {
            for (String key : new String[] {KEY, null}) {
                MailException e = ApiFailures.ofFailure(leak, phase, key);

                api.record(e);
                LOG.log(Level.WARNING, "attempt failed: " + e.getMessage(), e);
                assertThat(e.getMessage()).doesNotContain(KEY).contains("***");
                assertThat(e.toString()).doesNotContain(KEY);
                assertThat(e.getCause())
                        .as("a cause that quotes the key is not attached")
                        .isNull();
                assertThat(e.status()).isEqualTo(MailException.NO_STATUS);
                if (phase == ExchangeTracker.Phase.STARTED) {
                    assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
                }
            }
        }
    }

    @Test
    void scrubbingReplacesTheKeyAndAnyBearerToken() {
        assertThat(ApiFailures.scrub("x " + KEY + " y", KEY)).isEqualTo("x *** y");
        assertThat(ApiFailures.scrub("Authorization: bearer abc.def", null)).isEqualTo("Authorization: Bearer ***");
        assertThat(ApiFailures.scrub("Connection reset", KEY)).isEqualTo("Connection reset");
    }
}
