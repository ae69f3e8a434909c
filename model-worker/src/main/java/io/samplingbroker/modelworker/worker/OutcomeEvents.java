package io.samplingbroker.modelworker.worker;

import java.time.Instant;

import io.samplingbroker.events.SamplingCompleted;
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

    public static SamplingCompleted completed(SamplingContext context, CallOutcome.Answered answered, String provider,
            Instant now) {
        return SamplingCompleted.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setCreateMessageResult(answered.answer().result())
                .setProvider(provider)
                .setUsage(new TokenUsage(answered.answer().inputTokens(), answered.answer().outputTokens()))
                .setLatencyMillis(answered.latencyMillis())
                .setAttempts(answered.attempts())
                .build();
    }

    /**
     * The failure, for audit and for the broker, which turns its {@code errorCode} and {@code message} into the
     * JSON-RPC error the server gets: the message names the reason, never prompt text, completion text or secrets.
     *
     * @param provider the provider that failed, or null when none was called
     */
    public static SamplingFailed failed(SamplingContext context, CallOutcome.Failed failed, String provider, Instant now) {
        return SamplingFailed.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setStage(STAGE)
                .setErrorCode(failed.code().name())
                .setMessage(failed.message())
                .setRetryable(failed.code().isTransient())
                .setAttempts(failed.attempts())
                .setProvider(provider)
                .setProviderStatus(failed.providerStatus())
                .build();
    }
}
