package io.samplingbroker.modelworker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;

/** A request's call across its model and fallbacks: when it hands over, what it records, where it retries. */
class FallbackCallTest {

    /** A provider that answers its calls from a script, in order, and counts them. */
    private static final class ScriptedProvider implements ModelProvider {
        private final String name;
        private final Deque<Object> script = new ArrayDeque<>();
        int calls;

        ScriptedProvider(String name, Object... steps) {
            this.name = name;
            script.addAll(List.of(steps));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized CompletableFuture<ProviderAnswer> call(ProviderCall call) {
            calls++;
            Object step = script.isEmpty() ? ANSWER : script.poll();
            return step instanceof FailureCode code
                    ? CompletableFuture.failedFuture(new ProviderFailure(code, name + " " + code, status(code), null))
                    : CompletableFuture.completedFuture((ProviderAnswer) step);
        }

        private static Integer status(FailureCode code) {
            return switch (code) {
                case PROVIDER_UNAVAILABLE -> 503;
                case PROVIDER_RATE_LIMITED -> 429;
                case PROVIDER_BAD_REQUEST -> 400;
                default -> null;
            };
        }

        @Override
        public void close() {
        }
    }

    private static final ProviderAnswer ANSWER = OfflineEchoModel.answer(McpParams.text("hi", 8));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ProviderCallRunner runner = new ProviderCallRunner(scheduler, Clock.systemUTC(),
            new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), () -> 0.5));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void givenAPrimaryAnswering503_whenCalled_thenTheFallbackAnswersAtOnceAndBothAttemptsAreRecorded() throws Exception {
        ScriptedProvider claude = new ScriptedProvider("claude", FailureCode.PROVIDER_UNAVAILABLE);
        ScriptedProvider local = new ScriptedProvider("local");

        CallOutcome outcome = run(target("claude-sonnet-4-5", claude, 2), target("qwen2.5-7b", local, 2));

        assertThat(outcome).isInstanceOf(CallOutcome.Answered.class);
        CallOutcome.Answered answered = (CallOutcome.Answered) outcome;
        assertThat(answered.provider()).isEqualTo("local");
        assertThat(answered.model()).isEqualTo("qwen2.5-7b");
        assertThat(claude.calls).as("the primary's retries are not used when a fallback is next").isEqualTo(1);
        assertThat(answered.tried()).extracting(Attempt::provider, Attempt::model, Attempt::code, Attempt::httpStatus)
                .containsExactly(tuple("claude", "claude-sonnet-4-5", FailureCode.PROVIDER_UNAVAILABLE, 503),
                        tuple("local", "qwen2.5-7b", null, null));
        assertThat(answered.tried()).allSatisfy(attempt -> assertThat(attempt.startedAt()).isNotNull());
    }

    @Test
    void givenContentThePrimaryCannotTakeOrAnOpenCircuit_whenCalled_thenTheFallbackAnswers() throws Exception {
        for (FailureCode code : List.of(FailureCode.UNSUPPORTED_CONTENT, FailureCode.PROVIDER_CIRCUIT_OPEN,
                FailureCode.PROVIDER_RATE_LIMITED, FailureCode.PROVIDER_TIMEOUT)) {
            CallOutcome outcome = run(target("claude", new ScriptedProvider("claude", code), 0),
                    target("gpt-4o", new ScriptedProvider("openai"), 0));

            assertThat(outcome).as(code.name()).isInstanceOf(CallOutcome.Answered.class);
            assertThat(outcome.tried()).extracting(Attempt::code).containsExactly(code, null);
        }
    }

    @Test
    void givenAPrimaryRefusingTheRequestItself_whenCalled_thenNoFallbackIsTriedAndTheRefusalIsTheOutcome()
            throws Exception {
        ScriptedProvider local = new ScriptedProvider("local");

        CallOutcome outcome = run(target("claude", new ScriptedProvider("claude", FailureCode.PROVIDER_BAD_REQUEST), 2),
                target("qwen", local, 2));

        assertThat(outcome).isInstanceOf(CallOutcome.Failed.class);
        CallOutcome.Failed failed = (CallOutcome.Failed) outcome;
        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_BAD_REQUEST);
        assertThat(failed.provider()).isEqualTo("claude");
        assertThat(failed.providerStatus()).isEqualTo(400);
        assertThat(local.calls).isZero();
    }

    @Test
    void givenEveryModelFailingTransiently_whenCalled_thenTheLastRetriesByItsPolicyAndEveryAttemptIsRecorded()
            throws Exception {
        ScriptedProvider claude = new ScriptedProvider("claude", FailureCode.PROVIDER_UNAVAILABLE);
        ScriptedProvider local = new ScriptedProvider("local", FailureCode.PROVIDER_RATE_LIMITED,
                FailureCode.PROVIDER_UNAVAILABLE);

        CallOutcome outcome = run(target("claude", claude, 3), target("qwen", local, 1));

        assertThat(outcome).isInstanceOf(CallOutcome.Failed.class);
        CallOutcome.Failed failed = (CallOutcome.Failed) outcome;
        assertThat(failed.code()).isEqualTo(FailureCode.PROVIDER_UNAVAILABLE);
        assertThat(failed.message()).isEqualTo("local PROVIDER_UNAVAILABLE; gave up after 2 attempts");
        assertThat(failed.provider()).isEqualTo("local");
        assertThat(failed.tried()).extracting(Attempt::provider, Attempt::code).containsExactly(
                tuple("claude", FailureCode.PROVIDER_UNAVAILABLE), tuple("local", FailureCode.PROVIDER_RATE_LIMITED),
                tuple("local", FailureCode.PROVIDER_UNAVAILABLE));
    }

    @Test
    void givenAFallbackHandOver_whenTheRequestIsCancelled_thenTheOutcomeIsCancelledWithTheAttemptsSoFar()
            throws Exception {
        CompletableFuture<ProviderAnswer> held = new CompletableFuture<>();
        CompletableFuture<Void> called = new CompletableFuture<>();
        ModelProvider hanging = new ModelProvider() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
                called.complete(null);
                return held;
            }

            @Override
            public void close() {
            }
        };
        RunningCall running = runner.start(List.of(target("claude", new ScriptedProvider("claude",
                FailureCode.PROVIDER_UNAVAILABLE), 0), target("qwen", hanging, 0)), Instant.now().plusSeconds(10));
        called.get(5, TimeUnit.SECONDS);

        running.cancel();

        CallOutcome outcome = running.outcome().get(5, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(CallOutcome.Cancelled.class);
        assertThat(outcome.tried()).extracting(Attempt::provider).containsExactly("claude");
        assertThat(held).isCancelled();
    }

    private CallOutcome run(CallTarget... targets) throws Exception {
        return runner.start(List.of(targets), Instant.now().plusSeconds(10)).outcome().get(5, TimeUnit.SECONDS);
    }

    private static CallTarget target(String model, ModelProvider provider, int maxRetries) {
        return new CallTarget(model, provider, new ProviderCall("req-1", McpParams.text("hi", 8), model,
                Duration.ofSeconds(5), null), maxRetries);
    }
}
