package io.samplingbroker.modelworker.worker;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.McpJson;

/**
 * The events the model-worker writes for one request's outcome. The context is copied unchanged from the decision,
 * so routing (reply route, session) and audit (trace id) stay intact.
 */
public final class OutcomeEvents {

    /** {@code SamplingFailed.stage} and {@code SamplingResolved.resolvedBy}. */
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

    public static SamplingResolved resolvedWithResult(SamplingContext context, CreateMessageResult result, Instant now) {
        return SamplingResolved.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setCreateMessageResult(result)
                .setResolvedBy(STAGE)
                .build();
    }

    /** @param provider the provider that failed, or null when none was called */
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

    /**
     * The JSON-RPC error the server gets: {@link SamplingErrors#SAMPLING_FAILED} with the reason appended to the
     * standard message, and the named code in {@code data} so programs need not parse the message.
     */
    public static SamplingResolved resolvedWithError(SamplingContext context, CallOutcome.Failed failed, Instant now) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("errorCode", failed.code().name());
        return SamplingResolved.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setError(new JsonRpcError(SamplingErrors.SAMPLING_FAILED,
                        SamplingErrors.SAMPLING_FAILED_MESSAGE + ": " + failed.message(), McpJson.write(data)))
                .setResolvedBy(STAGE)
                .build();
    }
}
