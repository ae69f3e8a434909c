package io.samplingbroker.modelworker.worker;

import java.time.Instant;
import java.util.List;

import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.ProviderAttempt;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.modelworker.provider.CallOutcome;

/**
 * The events the model-worker writes for one request's outcome. The context is copied unchanged from the decision,
 * so routing (reply route, session) and audit (trace id) stay intact.
 */
public final class OutcomeEvents {

    /** {@code SamplingFailed.stage}. */
    public static final String STAGE = "model-worker";

    private OutcomeEvents() {
    }

    public static SamplingCompleted completed(SamplingContext context, CallOutcome.Answered answered, Instant now) {
        return SamplingCompleted.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setCreateMessageResult(answered.answer().result())
                .setProvider(answered.provider())
                .setUsage(new TokenUsage(answered.answer().inputTokens(), answered.answer().outputTokens(),
                        answered.answer().cachedInputTokens()))
                .setLatencyMillis(answered.latencyMillis())
                .setAttempts(answered.attempts())
                .setProviderAttempts(attempts(answered))
                .build();
    }

    /**
     * The failure, for audit and for the broker, which turns its {@code errorCode} and {@code message} into the
     * JSON-RPC error the server gets: the message names the reason, never prompt text, completion text or secrets.
     *
     * The provider is the last one called, null when none was.
     */
    public static SamplingFailed failed(SamplingContext context, CallOutcome.Failed failed, Instant now) {
        return SamplingFailed.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setStage(STAGE)
                .setErrorCode(failed.code().name())
                .setMessage(failed.message())
                .setRetryable(failed.code().isTransient())
                .setAttempts(failed.attempts())
                .setProvider(failed.provider())
                .setProviderStatus(failed.providerStatus())
                .setProviderAttempts(attempts(failed))
                .build();
    }

    private static List<ProviderAttempt> attempts(CallOutcome outcome) {
        return outcome.tried().stream().map(attempt -> ProviderAttempt.newBuilder()
                .setProvider(attempt.provider())
                .setModel(attempt.model())
                .setStartedAt(attempt.startedAt())
                .setLatencyMillis(attempt.latencyMillis())
                .setErrorCode(attempt.code() == null ? null : attempt.code().name())
                .setProviderStatus(attempt.httpStatus())
                .build()).toList();
    }
}
