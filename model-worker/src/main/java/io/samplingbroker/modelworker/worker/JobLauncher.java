package io.samplingbroker.modelworker.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.modelworker.catalogue.CatalogueModel;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.catalogue.ModelSelection;
import io.samplingbroker.modelworker.catalogue.ModelSelector;
import io.samplingbroker.modelworker.catalogue.NoModelMatchesException;
import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.provider.CallOutcome;
import io.samplingbroker.modelworker.provider.CallTarget;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.provider.ProviderCallRunner;
import io.samplingbroker.modelworker.provider.ProviderPool;
import io.samplingbroker.modelworker.provider.RunningCall;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.serviceruntime.LogContext;
import io.samplingbroker.serviceruntime.tracing.SamplingSpans;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/**
 * Starts the work for one approved decision: chooses the model, calls its provider (with retries and fallbacks,
 * within the deadline), and writes the outcome with every attempt. Logs carry ids, model names, sizes and codes, never prompt or completion text.
 */
final class JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    private final ModelCatalogue catalogue;
    private final ModelSelector selector;
    private final ProviderPool providers;
    private final ProviderCallRunner runner;
    private final OutcomeWriter writer;
    private final Executor continuation;
    private final Clock clock;
    private final ModelMetrics metrics;
    private final Tracer tracer;

    JobLauncher(ModelCatalogue catalogue, ProviderPool providers, ProviderCallRunner runner, OutcomeWriter writer,
            Executor continuation, Clock clock, ModelMetrics metrics, Tracer tracer) {
        this.metrics = metrics;
        this.tracer = tracer;
        this.catalogue = catalogue;
        this.selector = new ModelSelector(catalogue);
        this.providers = providers;
        this.runner = runner;
        this.writer = writer;
        this.continuation = continuation;
        this.clock = clock;
    }

    /**
     * @param decisionHeaders the decision record's headers: its tamper-evidence hash, which the outcome follows, and
     *     the span it was written under, which the job's {@code sampling complete} span follows
     * @param onSettled told when the job's record needs no more work (or was abandoned), on another thread
     */
    SamplingJob launch(SamplingDecided decision, Headers decisionHeaders, TopicPartition partition, long offset,
            Consumer<SamplingJob> onSettled) {
        try (LogContext ignored = LogContext.of(decision.getContext())) {
            Span span = SamplingSpans.startFor(tracer, "sampling complete", decision.getContext(), decisionHeaders);
            SamplingJob job = start(decision, new Follows(EventChain.hashOf(decisionHeaders),
                    Context.root().with(span)), partition, offset, onSettled);
            job.settled().whenComplete((done, error) -> span.end());
            return job;
        }
    }

    /** What the outcome follows: the decision in the chain, the job's span in the trace. */
    private record Follows(byte[] decisionHash, Context trace) {
    }

    private SamplingJob start(SamplingDecided decision, Follows follows, TopicPartition partition, long offset,
            Consumer<SamplingJob> onSettled) {
        SamplingContext context = decision.getContext();
        String requestId = context.getRequestId();
        CompletableFuture<Boolean> settled = new CompletableFuture<>();
        if (decision.getEffectiveParams() == null) {
            CallOutcome.Failed invalid = CallOutcome.Failed.beforeAnyCall(FailureCode.INVALID_DECISION,
                    "the decision " + decision.getDecision() + " carries no effective params");
            return settle(new SamplingJob(requestId, partition, offset, null, settled),
                    recordLater(decision, follows, invalid), onSettled);
        }
        ModelSelection selection;
        try {
            selection = selector.select(decision.getForcedModel(), decision.getEffectiveParams().getModelPreferences());
        } catch (NoModelMatchesException e) {
            CallOutcome.Failed noModel = CallOutcome.Failed.beforeAnyCall(FailureCode.NO_MODEL_MATCHES, e.getMessage());
            return settle(new SamplingJob(requestId, partition, offset, null, settled),
                    recordLater(decision, follows, noModel), onSettled);
        }
        CatalogueModel model = selection.model();
        LOG.debug("Request {}: model {} ({}) via provider {}, fallbacks {}, {} message(s), maxTokens {}", requestId,
                model.name(), selection.rule(), model.provider(), model.fallbacks(),
                decision.getEffectiveParams().getMessages().size(), decision.getEffectiveParams().getMaxTokens());
        Span client = tracer.spanBuilder("chat " + model.providerModel()).setParent(follows.trace())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SamplingSpans.GEN_AI_OPERATION, "chat")
                .setAttribute(SamplingSpans.GEN_AI_PROVIDER, model.provider())
                .setAttribute(SamplingSpans.GEN_AI_REQUEST_MODEL, model.providerModel())
                .setAttribute(SamplingSpans.GEN_AI_MAX_TOKENS, decision.getEffectiveParams().getMaxTokens())
                .startSpan();
        String traceParent = TraceHeaders.traceParentOf(follows.trace().with(client));
        List<CallTarget> targets = catalogue.chain(model).stream()
                .map(each -> target(requestId, decision, each, traceParent)).toList();
        RunningCall running = runner.start(targets, context.getDeadline());
        SamplingJob job = new SamplingJob(requestId, partition, offset, running, settled);
        CompletableFuture<Boolean> recorded = running.outcome()
                .thenComposeAsync(outcome -> {
                    ProviderSpans.ended(client, outcome);
                    metrics.called(decision, outcome, clock.instant());
                    return record(decision, follows, outcome);
                }, continuation);
        return settle(job, recorded, onSettled);
    }

    /** One model of the chain; every attempt's HTTP request carries the client span as its parent. */
    private CallTarget target(String requestId, SamplingDecided decision, CatalogueModel model, String traceParent) {
        ProviderSettings settings = providers.settings(model.provider());
        return new CallTarget(model.name(), providers.provider(model.provider()), new ProviderCall(requestId,
                decision.getEffectiveParams(), model.providerModel(), settings.timeout(), traceParent),
                settings.maxRetries());
    }

    /** A failure found before any provider call, written off the poll thread like every outcome. */
    private CompletableFuture<Boolean> recordLater(SamplingDecided decision, Follows follows,
            CallOutcome.Failed failed) {
        return CompletableFuture.completedFuture(failed)
                .thenComposeAsync(outcome -> record(decision, follows, outcome), continuation);
    }

    private SamplingJob settle(SamplingJob job, CompletableFuture<Boolean> recorded, Consumer<SamplingJob> onSettled) {
        recorded.whenComplete((done, error) -> {
            job.settled().complete(error == null && done && !job.abandoned());
            onSettled.accept(job);
        });
        return job;
    }

    /** Writes the outcome; true when the request needs nothing more (written, or cancelled with no output). */
    private CompletableFuture<Boolean> record(SamplingDecided decision, Follows follows, CallOutcome outcome) {
        try (LogContext ignored = LogContext.of(decision.getContext())) {
            return write(decision, follows, outcome);
        }
    }

    private CompletableFuture<Boolean> write(SamplingDecided decision, Follows follows, CallOutcome outcome) {
        SamplingContext context = decision.getContext();
        String requestId = context.getRequestId();
        Instant now = clock.instant();
        SpecificRecord completion;
        if (outcome instanceof CallOutcome.Cancelled cancelled) {
            LOG.info("Request {}: provider call stopped after {} attempt(s); nothing written", requestId,
                    cancelled.attempts());
            return CompletableFuture.completedFuture(true);
        } else if (outcome instanceof CallOutcome.Answered answered) {
            completion = OutcomeEvents.completed(context, answered, now);
            LOG.info("Request {}: answered by {} ({}) in {} ms, {} attempt(s), tokens in/out {}/{}, stop {}",
                    requestId, answered.model(), answered.answer().result().getModel(), answered.latencyMillis(),
                    answered.attempts(),
                    answered.answer().inputTokens(), answered.answer().outputTokens(),
                    answered.answer().result().getStopReason());
        } else {
            CallOutcome.Failed failed = (CallOutcome.Failed) outcome;
            completion = OutcomeEvents.failed(context, failed, now);
            LOG.warn("Request {}: failed with {} (provider {}, status {}, {} attempt(s)): {}", requestId, failed.code(),
                    failed.provider(), failed.providerStatus(), failed.attempts(), failed.message());
        }
        return writer.write(requestId, follows.decisionHash(), completion, follows.trace())
                .thenApply(written -> true);
    }
}
