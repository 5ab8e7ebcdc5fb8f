package io.mailpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exception of a send that failed over: the type of its final kind, with the attempts on the root type. */
class MailExceptionTest {
    private static final MailUnavailableException API_503 =
            new MailUnavailableException("unavailable", "api", 503, null, null);

    @Test
    void theTypeIsTheOneOfTheLastFailuresKind() {
        Map<MailException, Class<?>> lastToType = Map.of(
                new MailRejectedException("refused", "smtp", 554, null, null), MailRejectedException.class,
                new MailAuthenticationException("auth", "smtp", 535, null, null), MailAuthenticationException.class,
                new MailRateLimitedException("slow", "smtp", 429, null, null, null), MailRateLimitedException.class,
                new MailUnavailableException("down", "smtp", 421, null, null), MailUnavailableException.class,
                new MailConfigurationException("no host"), MailConfigurationException.class);
        lastToType.forEach((last, type) -> {
            MailException e = MailException.afterFailover(attempts(last), List.of(API_503, last));
            assertThat(e).as(type.getSimpleName()).isInstanceOf(type);
            assertThat(e.kind()).isEqualTo(last.kind());
            assertThat(e.transport()).isEqualTo(last.transport());
            assertThat(e.status()).isEqualTo(last.status());
            assertThat(e.getCause()).isSameAs(last);
            assertThat(e.getSuppressed()).containsExactly(API_503);
            assertThat(e.attempts()).hasSize(2);
            assertThat(e.possibleDuplicate()).isFalse();
        });
    }

    @Test
    void anUncertainAttemptMakesItUncertainWhateverCameAfter() {
        MailUncertainException lost =
                new MailUncertainException("no answer", "api", MailException.NO_STATUS, null, null);
        MailRejectedException refused = new MailRejectedException("refused", "smtp", 554, null, null);

        MailException e = MailException.afterFailover(
                List.of(Attempt.failed("api", lost, Duration.ZERO), Attempt.failed("smtp", refused, Duration.ZERO)),
                List.of(lost, refused));

        assertThat(e).isInstanceOf(MailUncertainException.class);
        assertThat(e.possibleDuplicate()).isTrue();
        assertThat(e.getCause()).isSameAs(refused);
        assertThat(e.getMessage()).contains("may have delivered");
    }

    @Test
    void theLongestRetryAfterOfAnyPathStandsWhateverTheFinalKind() {
        MailRateLimitedException api =
                new MailRateLimitedException("slow", "api", 429, null, Duration.ofMinutes(10), null);
        MailRateLimitedException smtp =
                new MailRateLimitedException("slow", "smtp", 429, null, Duration.ofMinutes(3), null);

        MailException bothAskedToWait = MailException.afterFailover(attempts(api, smtp), List.of(api, smtp));
        MailException thenDown = MailException.afterFailover(
                attempts(api, API_503), List.of(api, new MailUnavailableException("down", "smtp", 421, null, null)));

        assertThat(bothAskedToWait).isInstanceOf(MailRateLimitedException.class);
        assertThat(bothAskedToWait.retryAfter()).contains(Duration.ofMinutes(10));
        assertThat(thenDown).isInstanceOf(MailUnavailableException.class);
        assertThat(thenDown.retryAfter()).contains(Duration.ofMinutes(10));
    }

    @Test
    void aTransportsOwnExceptionHasNoAttempts() {
        assertThat(API_503.attempts()).isEmpty();
        assertThat(API_503.possibleDuplicate()).isFalse();
        assertThat(API_503.retryAfter()).isEmpty();
    }

    @Test
    @SuppressWarnings("removal")
    void codeWrittenAgainstTheFailoverExceptionStillCompilesAndReadsTheSame() {
        MailRejectedException refused = new MailRejectedException("refused", "smtp", 554, null, null);

        MailFailoverException old = new MailFailoverException(attempts(refused), refused, List.of(API_503), false);

        assertThat(old.kind()).isEqualTo(FailureKind.REJECTED);
        assertThat(old.attempts()).hasSize(2);
        assertThat(old.getSuppressed()).containsExactly(API_503);
    }

    /** The API's 503, then one attempt per later failure. */
    private static List<Attempt> attempts(MailException... later) {
        List<Attempt> attempts = new java.util.ArrayList<>();
        attempts.add(Attempt.failed("api", API_503, Duration.ZERO));
        for (MailException e : later) {
            attempts.add(Attempt.failed(e.transport() == null ? "smtp" : e.transport(), e, Duration.ZERO));
        }
        return attempts;
    }
}
