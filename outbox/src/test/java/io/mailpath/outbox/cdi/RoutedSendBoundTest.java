package io.mailpath.outbox.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailConfigurationException;
import io.mailpath.routing.PrimaryPath;
import io.mailpath.routing.RoutingConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The longest routed send, from the routing's Fault Tolerance annotations and the standard keys that override them.
 * With the routing's defaults: the primary tries 3 times at most, but starts no retry after 60 s, so 60 s + one
 * 150 s try = 210 s; a {@code Retry-After} of 5 s and the primary's 210 s again; each later transport tries twice at most,
 * starting none after 120 s, so 120 s + 150 s = 270 s.
 */
class RoutedSendBoundTest {
    private static final long PRIMARY = 210_000;
    private static final long RATE_LIMITED_AGAIN = 5_000 + PRIMARY;
    private static final long SECONDARY = 270_000;

    private static Config config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
    }

    private static Optional<Long> millis(Config config, int transports) {
        return RoutedSendBound.of(config, transports).worstCase().map(Duration::toMillis);
    }

    @Test
    void theRoutingDefaultsBoundASendByEachPathsRetriesAndTimeouts() {
        assertThat(millis(config(), 1)).contains(PRIMARY + RATE_LIMITED_AGAIN);
        assertThat(millis(config(), 2)).contains(PRIMARY + RATE_LIMITED_AGAIN + SECONDARY);
        assertThat(millis(config(), 3)).contains(PRIMARY + RATE_LIMITED_AGAIN + 2 * SECONDARY);
        assertThat(RoutedSendBound.of(config(), 2).explanation())
                .contains("io.mailpath.routing.PrimaryPath/send/Timeout 150000 ms, Retry maxRetries 2")
                .contains("mailpath.failover.rate-limit-max-wait-ms 5000 ms")
                .contains("1 later transport each takes at most 270000 ms");
    }

    @Test
    void theMethodsKeysOverrideTheAnnotation() {
        // No retry: one 150 s try, less than 60 s + one try.
        assertThat(millis(config("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "0"), 1))
                .contains(150_000 + 5_000 + 150_000L);
        // Three tries of 10 s and two delays of at most 300 ms, less than 60 s + one try.
        assertThat(millis(config("io.mailpath.routing.PrimaryPath/send/Timeout/value", "10000"), 1))
                .contains(30_600L + 5_000 + 30_600);
        assertThat(millis(
                        config(
                                "io.mailpath.routing.PrimaryPath/send/Timeout/value", "10",
                                "io.mailpath.routing.PrimaryPath/send/Timeout/unit", "seconds"),
                        1))
                .contains(30_600L + 5_000 + 30_600);
        assertThat(millis(config("io.mailpath.routing.SecondaryPath/send/Retry/maxDuration", "1000"), 2))
                .contains(PRIMARY + RATE_LIMITED_AGAIN + 1_000 + 150_000);
        assertThat(millis(config(RoutingConfig.RATE_LIMIT_MAX_WAIT, "0"), 1)).contains(PRIMARY + PRIMARY);
    }

    @Test
    void theMethodsKeyBeatsTheClasssWhichBeatsTheGlobalOne() {
        assertThat(millis(
                        config(
                                "Timeout/value", "1000",
                                "io.mailpath.routing.PrimaryPath/Timeout/value", "2000",
                                "io.mailpath.routing.PrimaryPath/send/Timeout/value", "4000"),
                        2))
                .contains((3L * 4_000 + 600) + (5_000 + 3L * 4_000 + 600) + (2 * 1_000 + 700));
        assertThat(millis(config("Timeout/value", "1000", "io.mailpath.routing.PrimaryPath/Timeout/value", "2000"), 1))
                .contains((3L * 2_000 + 600) + (5_000 + 3L * 2_000 + 600));
    }

    @Test
    void retriesForeverAreBoundedByTheirMaxDuration() {
        assertThat(millis(config("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "-1"), 1))
                .contains(PRIMARY + RATE_LIMITED_AGAIN);
        assertThat(millis(
                        config(
                                "io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "-1",
                                "io.mailpath.routing.PrimaryPath/send/Retry/maxDuration", "0"),
                        1))
                .isEmpty();
    }

    @Test
    void withoutATimeoutASendHasNoBound() {
        assertThat(millis(config("io.mailpath.routing.SecondaryPath/send/Timeout/enabled", "false"), 1))
                .as("the second path is not used with one transport")
                .contains(PRIMARY + RATE_LIMITED_AGAIN);
        assertThat(millis(config("io.mailpath.routing.SecondaryPath/send/Timeout/enabled", "false"), 2))
                .isEmpty();
        assertThat(millis(config("Timeout/value", "0"), 1)).isEmpty();
        assertThat(RoutedSendBound.of(config("Timeout/enabled", "false"), 1).explanation())
                .contains("has no timeout (io.mailpath.routing.PrimaryPath/send/Timeout off or 0)");
    }

    @Test
    void nonFallbackOffSwitchesRetriesAndTimeoutsOffUnlessAnAnnotationIsSwitchedOnAgain() {
        assertThat(millis(config("MP_Fault_Tolerance_NonFallback_Enabled", "false"), 2))
                .isEmpty();
        // Timeouts back on: one try a path, no retries.
        assertThat(millis(config("MP_Fault_Tolerance_NonFallback_Enabled", "false", "Timeout/enabled", "true"), 2))
                .contains(150_000 + 5_000 + 150_000 + 150_000L);
        assertThat(millis(config("Retry/enabled", "false"), 2)).contains(150_000 + 5_000 + 150_000 + 150_000L);
    }

    /**
     * The primary tried again after its {@code Retry-After} runs under its own guard, retries included: three tries of
     * 10 s and two delays of at most 300 ms, then the wait, then the same again. A lease sized for one try would run
     * out while that send is still under way, and another relay would send the entry a second time.
     */
    @Test
    void thePrimaryTriedAgainAfterItsRetryAfterMayRetryToo() {
        assertThat(millis(config("io.mailpath.routing.PrimaryPath/send/Timeout/value", "10000"), 1))
                .contains(30_600L + 5_000 + 30_600);
        assertThat(RoutedSendBound.of(config(), 1).explanation())
                .contains("then mailpath.failover.rate-limit-max-wait-ms 5000 ms and the primary again, retries"
                        + " included");
    }

    @Test
    void anInvalidValueNamesItsKey() {
        assertThatThrownBy(() ->
                        RoutedSendBound.of(config("io.mailpath.routing.PrimaryPath/send/Retry/maxRetries", "two"), 1))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining(
                        "io.mailpath.routing.PrimaryPath/send/Retry/maxRetries must be a whole number, not 'two'");
        assertThatThrownBy(() -> RoutedSendBound.of(config("Timeout/unit", "fortnights"), 1))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("Timeout/unit must be one of NANOS, MICROS, MILLIS");
    }

    @Test
    void theTransportsAreThoseTheRoutingTries() {
        assertThat(RoutedSendBound.transportCount(config(RoutingConfig.TRANSPORTS, "api, smtp,api")))
                .isEqualTo(2);
        assertThat(RoutedSendBound.transportCount(config(RoutingConfig.TRANSPORTS, "memory")))
                .isEqualTo(1);
    }

    @Test
    void theLeaseMustOutlastTheLongestSendWithAMargin() {
        RoutedSendBound defaults = RoutedSendBound.of(config(), 2);
        OutboxExtension.checkLease(Duration.ofMillis(OutboxConfiguration.DEFAULT_LEASE_MS), defaults);
        assertThatThrownBy(() -> OutboxExtension.checkLease(Duration.ofMinutes(5), defaults))
                .hasMessageContaining("MAILPATH-OUTBOX-LEASE: mailpath.outbox.lease-ms is 300000 ms, but one routed"
                        + " send may take up to 695000 ms")
                .hasMessageContaining("the lease must be at least 764500 ms");
        // Short sends keep a margin of 5 s at least.
        assertThat(OutboxExtension.requiredLease(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> OutboxExtension.checkLease(
                        Duration.ofDays(1), RoutedSendBound.of(config("Timeout/value", "0"), 1)))
                .hasMessageContaining("MAILPATH-OUTBOX-LEASE: a routed send has no upper bound");
    }

    /**
     * A named stream's send is bounded by its own order and keys, and its first transport by {@code sendInStream}'s
     * keys: the bound is the longest stream's.
     */
    @Test
    void theLongestStreamBoundsTheSend() {
        Config unnamedOnly = config(RoutingConfig.TRANSPORTS, "memory");
        assertThat(RoutedSendBound.of(unnamedOnly).worstCase())
                .contains(Duration.ofMillis(PRIMARY + RATE_LIMITED_AGAIN));

        Config withStreams = config(
                RoutingConfig.TRANSPORTS,
                "memory",
                RoutingConfig.STREAMS,
                "transactional,marketing",
                "mailpath.stream.transactional.transports",
                "memory,memory-backup,memory-plain",
                "mailpath.stream.transactional.failover.rate-limit-max-wait-ms",
                "7000");
        RoutedSendBound bound = RoutedSendBound.of(withStreams);
        assertThat(bound.worstCase()).contains(Duration.ofMillis(PRIMARY + 7_000 + PRIMARY + 2 * SECONDARY));
        assertThat(bound.explanation())
                .startsWith("stream 'transactional': primary ")
                .contains("io.mailpath.routing.PrimaryPath/sendInStream/Timeout 150000 ms")
                .contains("mailpath.stream.transactional.failover.rate-limit-max-wait-ms 7000 ms")
                .contains("2 later transports");

        // sendInStream's own keys count for named streams only.
        Config longerInStreams = config(
                RoutingConfig.TRANSPORTS,
                "memory",
                RoutingConfig.STREAMS,
                "marketing",
                "io.mailpath.routing.PrimaryPath/sendInStream/Timeout/value",
                "400000");
        assertThat(RoutedSendBound.of(longerInStreams).explanation()).startsWith("stream 'marketing': ");
        assertThat(RoutedSendBound.of(longerInStreams).worstCase().orElseThrow())
                .isGreaterThan(RoutedSendBound.of(unnamedOnly).worstCase().orElseThrow());
    }

    /** The figures this class takes from the routing by name or value stay those of the routing. */
    @Test
    void inStepWithTheRouting() throws Exception {
        assertThat(RoutedSendBound.ROUTING_PATH).isEqualTo(PrimaryPath.class.getName());
        Field routingDefault = RoutingConfig.class.getDeclaredField("DEFAULT_MAX_WAIT_MS");
        routingDefault.setAccessible(true);
        assertThat(RoutedSendBound.DEFAULT_RATE_LIMIT_MAX_WAIT_MS).isEqualTo(routingDefault.getLong(null));
    }
}
