package io.mailpath.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.routing.FailoverPolicy.NextPath;
import io.mailpath.routing.FailoverPolicy.Step;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failover table, row by row: no container, no transport, only the decision. */
class FailoverPolicyTest {
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    /** The defaults: no failover on authentication, failover on uncertain, wait up to 5 s for a Retry-After. */
    private final FailoverPolicy defaults = new FailoverPolicy(false, true, MAX_WAIT);

    private static final Optional<Duration> NO_WAIT = Optional.empty();

    @Test
    void aRejectionStopsWhateverComesNext() {
        for (NextPath next : NextPath.values()) {
            assertThat(defaults.next(FailureKind.REJECTED, NO_WAIT, true, next)).isEqualTo(Step.STOP);
        }
    }

    @Test
    void aConfigurationErrorStops() {
        assertThat(defaults.next(FailureKind.CONFIGURATION, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.STOP);
    }

    @Test
    void anAuthenticationFailureStopsUnlessConfiguredToFailOver() {
        assertThat(defaults.next(FailureKind.AUTHENTICATION, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.STOP);
        FailoverPolicy onAuthentication = new FailoverPolicy(true, true, MAX_WAIT);
        assertThat(onAuthentication.next(FailureKind.AUTHENTICATION, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.FAIL_OVER);
    }

    @Test
    void anUnavailablePathFailsOver() {
        assertThat(defaults.next(FailureKind.UNAVAILABLE, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.FAIL_OVER);
        assertThat(defaults.next(FailureKind.UNAVAILABLE, NO_WAIT, false, NextPath.CAN_CARRY))
                .isEqualTo(Step.FAIL_OVER);
    }

    @Test
    void anUncertainOutcomeFailsOverUnlessConfiguredNotTo() {
        assertThat(defaults.next(FailureKind.UNCERTAIN, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.FAIL_OVER);
        FailoverPolicy stayOnUncertain = new FailoverPolicy(false, false, MAX_WAIT);
        assertThat(stayOnUncertain.next(FailureKind.UNCERTAIN, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.STOP);
    }

    @Test
    void aRateLimitedPrimaryIsTriedAgainOnceWhenItsRetryAfterIsWithinTheWait() {
        Optional<Duration> shortWait = Optional.of(Duration.ofMillis(300));
        assertThat(defaults.next(FailureKind.RATE_LIMITED, shortWait, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.RETRY_PRIMARY);
        assertThat(defaults.next(FailureKind.RATE_LIMITED, Optional.of(MAX_WAIT), true, NextPath.CAN_CARRY))
                .as("exactly the longest wait")
                .isEqualTo(Step.RETRY_PRIMARY);
        assertThat(defaults.next(FailureKind.RATE_LIMITED, shortWait, false, NextPath.CAN_CARRY))
                .as("tried again already, or not the primary")
                .isEqualTo(Step.FAIL_OVER);
    }

    @Test
    void aRateLimitedPrimaryIsTriedAgainEvenWithoutANextPath() {
        assertThat(defaults.next(FailureKind.RATE_LIMITED, Optional.of(Duration.ofSeconds(1)), true, NextPath.NONE))
                .isEqualTo(Step.RETRY_PRIMARY);
    }

    @Test
    void aRetryAfterLongerThanTheWaitOrUnknownFailsOverAtOnce() {
        assertThat(defaults.next(FailureKind.RATE_LIMITED, Optional.of(Duration.ofHours(1)), true, NextPath.CAN_CARRY))
                .isEqualTo(Step.FAIL_OVER);
        assertThat(defaults.next(FailureKind.RATE_LIMITED, NO_WAIT, true, NextPath.CAN_CARRY))
                .isEqualTo(Step.FAIL_OVER);
    }

    @Test
    void aNextPathThatCannotCarryTheMessageIsSkipped() {
        assertThat(defaults.next(FailureKind.UNAVAILABLE, NO_WAIT, true, NextPath.CANNOT_CARRY))
                .isEqualTo(Step.SKIP_NEXT);
        assertThat(defaults.next(
                        FailureKind.RATE_LIMITED, Optional.of(Duration.ofHours(1)), true, NextPath.CANNOT_CARRY))
                .isEqualTo(Step.SKIP_NEXT);
    }

    @Test
    void withNoPathLeftTheSendStops() {
        for (FailureKind kind : FailureKind.values()) {
            assertThat(defaults.next(kind, NO_WAIT, false, NextPath.NONE))
                    .as(kind.name())
                    .isEqualTo(Step.STOP);
        }
    }

    @Test
    void aFailureThatDoesNotFailOverIsNotSkippedPastEither() {
        assertThat(defaults.next(FailureKind.AUTHENTICATION, NO_WAIT, true, NextPath.CANNOT_CARRY))
                .isEqualTo(Step.STOP);
    }
}
