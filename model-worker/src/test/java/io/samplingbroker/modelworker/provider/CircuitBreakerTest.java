package io.samplingbroker.modelworker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.samplingbroker.modelworker.catalogue.CircuitBreakerSettings;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.schemas.testing.MutableClock;

/** Opening on failures in the window (count and share), failing fast while open, the one probe, and closing. */
class CircuitBreakerTest {

    /** A provider whose calls the test completes one by one, in order. */
    private static final class HeldProvider implements ModelProvider {
        final List<CompletableFuture<ProviderAnswer>> calls = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "claude";
        }

        @Override
        public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
            CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
            calls.add(answer);
            return answer;
        }

        @Override
        public void close() {
        }
    }

    private static final ProviderAnswer ANSWER = OfflineEchoModel.answer(McpParams.text("x", 8));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final HeldProvider provider = new HeldProvider();
    private final List<CircuitState> changes = new CopyOnWriteArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(provider,
            new CircuitBreakerSettings(3, 0.5, Duration.ofSeconds(10), Duration.ofSeconds(20)), clock,
            (name, to) -> changes.add(to));

    @Test
    void givenThreeTransientFailuresInTheWindow_whenTheNextAttemptComes_thenItFailsAtOnceNamingTheCircuitAndTheWait() {
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_TIMEOUT, FailureCode.PROVIDER_RATE_LIMITED);

        clock.advance(Duration.ofSeconds(5));
        CompletableFuture<ProviderAnswer> rejected = breaker.call(call());

        assertThat(provider.calls).hasSize(3);
        ProviderFailure failure = failureOf(rejected);
        assertThat(failure.code()).isEqualTo(FailureCode.PROVIDER_CIRCUIT_OPEN);
        assertThat(failure.getMessage()).isEqualTo("the circuit of provider 'claude' is open (3 of 3 attempts failed "
                + "in the last 10 s); the next probe in 15.0 s");
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(changes).containsExactly(CircuitState.OPEN);
    }

    @Test
    void givenFailuresThatAreFewerThanHalfTheAttempts_whenCounted_thenTheCircuitStaysClosed() {
        answer(4);
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        fail(FailureCode.PROVIDER_UNAVAILABLE); // 4 of 8: half, so it opens
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void givenFailuresOlderThanTheWindow_whenMoreCome_thenOnlyTheRecentOnesCount() {
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(11));
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void givenPermanentFailuresAndCancelledAttempts_whenCounted_thenTheyDoNotOpenTheCircuit() {
        fail(FailureCode.PROVIDER_BAD_REQUEST, FailureCode.PROVIDER_UNAUTHORIZED, FailureCode.UNSUPPORTED_CONTENT);
        for (int i = 0; i < 3; i++) {
            breaker.call(call()).cancel(true);
        }

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(provider.calls).hasSize(6);
    }

    @Test
    void givenAnOpenCircuitPastItsOpenTime_whenAttemptsCome_thenOneProbesAndTheOthersFailUntilItAnswers() {
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(20));

        CompletableFuture<ProviderAnswer> probe = breaker.call(call());
        CompletableFuture<ProviderAnswer> meanwhile = breaker.call(call());

        assertThat(provider.calls).hasSize(4);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(failureOf(meanwhile).getMessage()).endsWith("; a probe is in flight");
        provider.calls.get(3).complete(ANSWER);
        assertThat(probe).isCompletedWithValue(ANSWER);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(changes).containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);

        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);
        assertThat(breaker.state()).as("closing forgets the failures before it").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void givenAProbeThatFails_whenItEnds_thenTheCircuitOpensForAnotherOpenTime() {
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(20));

        fail(FailureCode.PROVIDER_TIMEOUT);
        clock.advance(Duration.ofSeconds(19));

        ProviderFailure failure = failureOf(breaker.call(call()));
        assertThat(failure.getMessage()).contains("(the probe failed with PROVIDER_TIMEOUT)");
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(changes).containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.OPEN);
    }

    @Test
    void givenACancelledProbe_whenTheNextAttemptComes_thenItProbesInstead() {
        fail(FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE, FailureCode.PROVIDER_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(20));
        breaker.call(call()).cancel(true);

        CompletableFuture<ProviderAnswer> second = breaker.call(call());

        assertThat(provider.calls).hasSize(5);
        provider.calls.get(4).complete(ANSWER);
        assertThat(second).isCompletedWithValue(ANSWER);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    private void fail(FailureCode... codes) {
        for (FailureCode code : codes) {
            CompletableFuture<ProviderAnswer> attempt = breaker.call(call());
            provider.calls.get(provider.calls.size() - 1).completeExceptionally(new ProviderFailure(code, code.name()));
            assertThat(attempt).isCompletedExceptionally();
        }
    }

    private void answer(int times) {
        for (int i = 0; i < times; i++) {
            breaker.call(call());
            provider.calls.get(provider.calls.size() - 1).complete(ANSWER);
        }
    }

    private static ProviderFailure failureOf(CompletableFuture<ProviderAnswer> attempt) {
        assertThat(attempt).isCompletedExceptionally();
        try {
            attempt.join();
        } catch (CompletionException e) {
            return (ProviderFailure) e.getCause();
        }
        throw new AssertionError("the attempt did not fail");
    }

    private static ProviderCall call() {
        return new ProviderCall("req-1", McpParams.text("hello", 16), "claude-sonnet-4-5", Duration.ofSeconds(5), null);
    }
}
