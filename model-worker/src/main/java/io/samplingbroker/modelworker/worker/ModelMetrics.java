package io.samplingbroker.modelworker.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.modelworker.provider.Attempt;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.CircuitState;
import io.samplingbroker.modelworker.provider.ProviderHealth;
import io.samplingbroker.serviceruntime.metrics.SamplingLabels;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/**
 * What the model-worker records of each provider call (docs/operations.md, "Metrics"): calls by provider, model and
 * status with their latency (all attempts of the call), retries, fallbacks, tokens in and out for whom, and the time
 * from the decision to the outcome (the {@code completion} stage); and of each HTTP provider its attempts in flight
 * and waiting, and its circuit.
 */
final class ModelMetrics {

    static final String PROVIDER_CALLS = "sampling.provider.calls";
    static final String PROVIDER_RETRIES = "sampling.provider.retries";
    static final String TOKENS = "sampling.tokens";
    static final String FALLBACKS = "sampling.provider.fallbacks";
    static final String IN_FLIGHT = "sampling.provider.in.flight";
    static final String WAITING = "sampling.provider.waiting";
    static final String CIRCUIT_STATE = "sampling.provider.circuit.state";
    static final String CIRCUIT_CHANGES = "sampling.provider.circuit.changes";

    private final ServiceMetrics metrics;

    ModelMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * A call that ran (answered or failed at the provider), under the provider and catalogue model that answered or
     * failed last; a fallback's hand-over counts as a fallback of the model that failed.
     */
    void called(SamplingDecided decision, CallOutcome outcome, Instant now) {
        Attempt last = outcome.tried().isEmpty() ? null : outcome.tried().get(outcome.tried().size() - 1);
        String provider = last == null ? null : last.provider();
        String model = last == null ? null : last.model();
        Tags where = Tags.of(SamplingLabels.PROVIDER, SamplingLabels.orNone(provider), SamplingLabels.MODEL,
                SamplingLabels.orNone(model));
        countFallbacks(outcome.tried());
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
        long retries = outcome.tried().stream().filter(attempt -> attempt.model().equals(model)).count() - 1;
        if (retries > 0) {
            metrics.counter(PROVIDER_RETRIES, "Attempts of provider calls beyond the first on the same model", where)
                    .increment(retries);
        }
        Duration sinceDecision = Duration.between(decision.getOccurredAt(), now);
        metrics.stage("completion", SamplingLabels.of(decision.getContext()))
                .record(sinceDecision.isNegative() ? Duration.ZERO : sinceDecision);
    }

    /** Each hand-over from a model to the next, under the model that failed and why. */
    private void countFallbacks(List<Attempt> tried) {
        for (int i = 1; i < tried.size(); i++) {
            Attempt failed = tried.get(i - 1);
            if (!failed.model().equals(tried.get(i).model())) {
                metrics.counter(FALLBACKS, "Requests handed from a model to its next fallback, by why",
                        Tags.of(SamplingLabels.PROVIDER, failed.provider(), SamplingLabels.MODEL, failed.model(),
                                "error_code", failed.code().name())).increment();
            }
        }
    }

    /** Gauges of each HTTP provider's concurrency and circuit. */
    void watch(Collection<ProviderHealth> providers) {
        MeterRegistry registry = metrics.registry();
        for (ProviderHealth health : providers) {
            Tags provider = Tags.of(SamplingLabels.PROVIDER, health.provider());
            Gauge.builder(IN_FLIGHT, health.inFlight()::getAsInt).tags(provider)
                    .description("Provider attempts in flight").register(registry);
            Gauge.builder(WAITING, health.waiting()::getAsInt).tags(provider)
                    .description("Provider attempts waiting for a concurrency slot (maxConcurrency)").register(registry);
            Gauge.builder(CIRCUIT_STATE, () -> health.circuit().get().gaugeValue()).tags(provider)
                    .description("Provider circuit: 0 closed, 1 half-open, 2 open").register(registry);
        }
    }

    /** A circuit changed state. */
    void circuitChanged(String provider, CircuitState to) {
        metrics.counter(CIRCUIT_CHANGES, "Provider circuit changes, by the state entered",
                Tags.of(SamplingLabels.PROVIDER, provider, "state", to.label())).increment();
    }

    private void count(Tags tags, Long tokens) {
        if (tokens != null && tokens > 0) {
            metrics.counter(TOKENS, "Tokens the providers reported, in and out", tags).increment(tokens);
        }
    }
}
