package io.samplingbroker.modelworker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    /** Jitter pinned to the top of its range, so pauses are their nominal values. */
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(8), () -> 0.999_999);
    private static final Duration PLENTY = Duration.ofMinutes(1);

    @Test
    void givenUnauthorized_whenDeciding_thenItIsNeverRetried() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_UNAUTHORIZED, null), 1, 5, PLENTY);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.reason()).isEqualTo("PROVIDER_UNAUTHORIZED failed");
    }

    @Test
    void givenAnOpenCircuit_whenDeciding_thenTheSameProviderIsNotTriedAgain() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_CIRCUIT_OPEN, Duration.ofSeconds(1)), 1, 5,
                PLENTY);

        assertThat(decision.retry()).isFalse();
        assertThat(FailureCode.PROVIDER_CIRCUIT_OPEN.isTransient()).as("a later request may pass").isTrue();
    }

    @Test
    void givenABadResponseOrBadRequest_whenDeciding_thenTheyAreNotRetried() {
        assertThat(policy.decide(failure(FailureCode.PROVIDER_BAD_RESPONSE, null), 1, 5, PLENTY).retry()).isFalse();
        assertThat(policy.decide(failure(FailureCode.PROVIDER_BAD_REQUEST, null), 1, 5, PLENTY).retry()).isFalse();
    }

    @Test
    void givenRateLimitedWithRetryAfterThatFits_whenDeciding_thenItWaitsExactlyWhatTheProviderAsked() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_RATE_LIMITED, Duration.ofSeconds(20)), 1, 2,
                Duration.ofSeconds(45));

        assertThat(decision.retry()).isTrue();
        assertThat(decision.delay()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void givenRateLimitedWithRetryAfterBeyondTheDeadline_whenDeciding_thenItGivesUpSayingSo() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_RATE_LIMITED, Duration.ofSeconds(20)), 1, 2,
                Duration.ofSeconds(10));

        assertThat(decision.retry()).isFalse();
        assertThat(decision.reason()).isEqualTo("PROVIDER_RATE_LIMITED failed; Retry-After 20 s does not fit before the deadline");
    }

    @Test
    void givenRateLimitedWithoutRetryAfter_whenDeciding_thenItBacksOff() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_RATE_LIMITED, null), 1, 2, PLENTY);

        assertThat(decision.retry()).isTrue();
        assertThat(decision.delay()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void givenServerErrorsInARow_whenDeciding_thenThePauseDoublesUpToTheCap() {
        ProviderFailure unavailable = failure(FailureCode.PROVIDER_UNAVAILABLE, null);

        assertThat(policy.decide(unavailable, 1, 10, PLENTY).delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.decide(unavailable, 2, 10, PLENTY).delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.decide(unavailable, 3, 10, PLENTY).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.decide(unavailable, 7, 10, PLENTY).delay()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void givenJitter_whenBackingOff_thenThePauseStaysBetweenHalfAndAllOfItsNominalValue() {
        RetryPolicy low = new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(8), () -> 0.0);

        assertThat(low.decide(failure(FailureCode.PROVIDER_TIMEOUT, null), 2, 5, PLENTY).delay())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void givenTheRetriesAreUsedUp_whenDeciding_thenItGivesUpCountingTheAttempts() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_UNAVAILABLE, null), 3, 2, PLENTY);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.reason()).isEqualTo("PROVIDER_UNAVAILABLE failed; gave up after 3 attempts");
    }

    @Test
    void givenATimeoutWithTheDeadlineAlmostReached_whenDeciding_thenItGivesUp() {
        RetryDecision decision = policy.decide(failure(FailureCode.PROVIDER_TIMEOUT, null), 1, 2, Duration.ofMillis(200));

        assertThat(decision.retry()).isFalse();
        assertThat(decision.reason()).endsWith("the next attempt does not fit before the deadline");
    }

    private static ProviderFailure failure(FailureCode code, Duration retryAfter) {
        return new ProviderFailure(code, code + " failed", 0, retryAfter);
    }
}
