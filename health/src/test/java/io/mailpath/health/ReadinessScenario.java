package io.mailpath.health;

import io.mailpath.MailTransport;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every readiness scenario uses: the routed transport, the check as the server finds it, and the board on a
 * clock that stands still at {@code 2026-11-22T12:00:00Z} until the test moves it.
 */
abstract class ReadinessScenario {
    @Inject
    MailTransport mail;

    @Inject
    @Readiness // the qualifier the server's MicroProfile Health looks the check up by
    MailpathReadinessCheck check;

    @Inject
    TransportStatusBoard board;

    final MutableClock clock = new MutableClock();

    @BeforeEach
    void standStill() {
        board.useClock(clock);
    }

    static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }
}
