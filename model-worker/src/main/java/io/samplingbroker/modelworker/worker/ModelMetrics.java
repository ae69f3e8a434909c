package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.micrometer.core.instrument.Tags;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.serviceruntime.metrics.SamplingLabels;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/**
 * What the model-worker records of each provider call (docs/operations.md, "Metrics"): calls by provider, model and
 * status with their latency (all attempts of the call), retries, tokens in and out for whom, and the time from the
 * decision to the outcome (the {@code completion} stage).
 */
final class ModelMetrics {

    static final String PROVIDER_CALLS = "sampling.provider.calls";
    static final String PROVIDER_RETRIES = "sampling.provider.retries";
    static final String TOKENS = "sampling.tokens";

    private final ServiceMetrics metrics;

    ModelMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    /** A call that ran (answered or failed at the provider); {@code model} is the catalogue's name. */
    void called(SamplingDecided decision, String provider, String model, CallOutcome outcome, Instant now) {
        Tags where = Tags.of(SamplingLabels.PROVIDER, SamplingLabels.orNone(provider), SamplingLabels.MODEL,
                SamplingLabels.orNone(model));
        String status;
        Integer httpStatus;
        long latency;
        if (outcome instanceof CallOutcome.Answered answered) {
            status = "ok";
            httpStatus = 200;
            latency = answered.latencyMillis();
            Tags who = SamplingLabels.of(decision.getContext()).and(SamplingLabels.MODEL, SamplingLabels.orNone(model));
            count(who.and("direction", "input"), answered.answer().inputTokens());
            count(who.and("direction", "output"), answered.answer().outputTokens());
        } else if (outcome instanceof CallOutcome.Failed failed) {
            status = failed.code().name().toLowerCase(Locale.ROOT);
            httpStatus = failed.providerStatus();
            latency = failed.latencyMillis();
        } else {
            return; // cancelled: the server gave up, the call's cost shows in its retries and latency of others
        }
        metrics.latency(PROVIDER_CALLS, "Provider calls of the model-worker, all attempts of each, by outcome",
                where.and("status", status, "http_status", httpStatus == null ? SamplingLabels.NONE
                        : httpStatus.toString())).record(Duration.ofMillis(latency));
        if (outcome.attempts() > 1) {
            metrics.counter(PROVIDER_RETRIES, "Attempts of provider calls beyond the first", where)
                    .increment(outcome.attempts() - 1.0);
        }
        Duration sinceDecision = Duration.between(decision.getOccurredAt(), now);
        metrics.stage("completion", SamplingLabels.of(decision.getContext()))
                .record(sinceDecision.isNegative() ? Duration.ZERO : sinceDecision);
    }

    private void count(Tags tags, Long tokens) {
        if (tokens != null && tokens > 0) {
            metrics.counter(TOKENS, "Tokens the providers reported, in and out", tags).increment(tokens);
        }
    }
}
