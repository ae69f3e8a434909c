package io.samplingbroker.modelworker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.ProviderAttempt;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.modelworker.provider.Attempt;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.modelworker.testing.McpParams;
import io.samplingbroker.modelworker.testing.WorkerEvents;

class OutcomeEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:15:31Z");
    private final SamplingContext context = WorkerEvents.context("req-42", Instant.parse("2026-11-24T10:16:00Z"));

    @Test
    void givenAnAnswerAfterAFallback_whenTheCompletionIsBuilt_thenContextResultUsageLatencyAndEveryAttemptAreCarried() {
        List<Attempt> tried = List.of(
                new Attempt("openai", "gpt-4o", NOW.minusMillis(35), 20, FailureCode.PROVIDER_UNAVAILABLE, 503),
                new Attempt("offline", "offline-echo", NOW.minusMillis(14), 1, null, null));
        CallOutcome.Answered answered = new CallOutcome.Answered(OfflineEchoModel.answer(McpParams.text("hi", 50)),
                "offline", "offline-echo", tried, 35);

        SamplingCompleted completed = OutcomeEvents.completed(context, answered, NOW);

        assertThat(completed.getContext()).isEqualTo(context);
        assertThat(completed.getOccurredAt()).isEqualTo(NOW);
        assertThat(completed.getCreateMessageResult()).isEqualTo(answered.answer().result());
        assertThat(completed.getProvider()).isEqualTo("offline");
        assertThat(completed.getUsage().getInputTokens()).isEqualTo(1L);
        // the offline model counts words: "[offline-echo] received 1 message(s); last user text: hi"
        assertThat(completed.getUsage().getOutputTokens()).isEqualTo(8L);
        assertThat(completed.getLatencyMillis()).isEqualTo(35);
        assertThat(completed.getAttempts()).isEqualTo(2);
        assertThat(completed.getProviderAttempts()).extracting(ProviderAttempt::getProvider, ProviderAttempt::getModel,
                ProviderAttempt::getErrorCode, ProviderAttempt::getProviderStatus, ProviderAttempt::getLatencyMillis)
                .containsExactly(tuple("openai", "gpt-4o", "PROVIDER_UNAVAILABLE", 503, 20L),
                        tuple("offline", "offline-echo", null, null, 1L));
        assertThat(completed.getProviderAttempts().get(0).getStartedAt()).isEqualTo(NOW.minusMillis(35));
    }

    @Test
    void givenAFailure_whenTheFailedEventIsBuilt_thenTheCodeIsNamedAndTheReasonAndContextAreCarriedForTheBroker() {
        CallOutcome.Failed failed = new CallOutcome.Failed(FailureCode.PROVIDER_RATE_LIMITED,
                "Provider 'openai' is rate limiting (429 requests/rate_limit_exceeded)", 429, List.of(
                        rateLimited(NOW.minusMillis(1200)), rateLimited(NOW.minusMillis(900)),
                        rateLimited(NOW.minusMillis(300))), 1200);

        SamplingFailed event = OutcomeEvents.failed(context, failed, NOW);

        assertThat(event.getStage()).isEqualTo("model-worker");
        assertThat(event.getErrorCode()).isEqualTo("PROVIDER_RATE_LIMITED");
        assertThat(event.getRetryable()).isTrue();
        assertThat(event.getAttempts()).isEqualTo(3);
        assertThat(event.getProvider()).isEqualTo("openai");
        assertThat(event.getProviderStatus()).isEqualTo(429);
        assertThat(event.getProviderAttempts()).hasSize(3).allSatisfy(attempt -> {
            assertThat(attempt.getErrorCode()).isEqualTo("PROVIDER_RATE_LIMITED");
            assertThat(attempt.getProviderStatus()).isEqualTo(429);
        });
        // the broker turns errorCode and message into the server's JSON-RPC error
        assertThat(event.getMessage())
                .isEqualTo("Provider 'openai' is rate limiting (429 requests/rate_limit_exceeded)");
        assertThat(event.getContext()).isEqualTo(context);
        assertThat(event.getOccurredAt()).isEqualTo(NOW);
    }

    @Test
    void givenAPermanentFailure_whenTheFailedEventIsBuilt_thenItIsNotRetryable() {
        CallOutcome.Failed failed = CallOutcome.Failed.beforeAnyCall(FailureCode.NO_MODEL_MATCHES, "no such model");

        SamplingFailed event = OutcomeEvents.failed(context, failed, NOW);

        assertThat(event.getRetryable()).isFalse();
        assertThat(event.getProvider()).isNull();
        assertThat(event.getProviderStatus()).isNull();
        assertThat(event.getProviderAttempts()).isEmpty();
    }

    private static Attempt rateLimited(Instant at) {
        return new Attempt("openai", "gpt-4o", at, 40, FailureCode.PROVIDER_RATE_LIMITED, 429);
    }
}
