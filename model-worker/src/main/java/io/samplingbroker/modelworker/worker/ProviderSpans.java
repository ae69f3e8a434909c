package io.samplingbroker.modelworker.worker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.samplingbroker.modelworker.provider.Attempt;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.serviceruntime.tracing.SamplingSpans;

/**
 * Ends the client span of a provider call with what came of it: the model and tokens, or why it failed; and an event
 * per attempt (provider, catalogue model, error, HTTP status, latency), so retries and fallbacks show in the trace.
 */
final class ProviderSpans {

    private static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("sampling.provider.attempts");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> ATTEMPT_PROVIDER = AttributeKey.stringKey("sampling.provider");
    private static final AttributeKey<String> ATTEMPT_MODEL = AttributeKey.stringKey("sampling.model");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<Long> LATENCY = AttributeKey.longKey("sampling.latency_ms");

    private ProviderSpans() {
    }

    static void ended(Span client, CallOutcome outcome) {
        client.setAttribute(ATTEMPTS, (long) outcome.attempts());
        for (Attempt attempt : outcome.tried()) {
            AttributesBuilder event = Attributes.builder().put(ATTEMPT_PROVIDER, attempt.provider())
                    .put(ATTEMPT_MODEL, attempt.model()).put(LATENCY, attempt.latencyMillis());
            if (attempt.code() != null) {
                event.put(ERROR_TYPE, attempt.code().name());
            }
            if (attempt.httpStatus() != null) {
                event.put(HTTP_STATUS, attempt.httpStatus().longValue());
            }
            client.addEvent("attempt", event.build(), attempt.startedAt());
        }
        if (outcome instanceof CallOutcome.Answered answered) {
            client.setAttribute(SamplingSpans.GEN_AI_RESPONSE_MODEL, answered.answer().result().getModel());
            if (answered.answer().inputTokens() != null) {
                client.setAttribute(SamplingSpans.GEN_AI_INPUT_TOKENS, answered.answer().inputTokens());
            }
            if (answered.answer().outputTokens() != null) {
                client.setAttribute(SamplingSpans.GEN_AI_OUTPUT_TOKENS, answered.answer().outputTokens());
            }
        } else if (outcome instanceof CallOutcome.Failed failed) {
            client.setAttribute(ERROR_TYPE, failed.code().name());
            client.setStatus(StatusCode.ERROR, failed.code().name()); // the message may quote the provider: not here
        } else {
            client.setAttribute(ERROR_TYPE, "cancelled");
        }
        client.end();
    }
}
