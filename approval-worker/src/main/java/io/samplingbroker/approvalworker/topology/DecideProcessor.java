package io.samplingbroker.approvalworker.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.samplingbroker.approvalworker.decision.DecisionEvents;
import io.samplingbroker.approvalworker.decision.Outcome;
import io.samplingbroker.approvalworker.decision.PolicyEvaluator;
import io.samplingbroker.approvalworker.decision.UsageCharge;
import io.samplingbroker.approvalworker.decision.UsageLedger;
import io.samplingbroker.approvalworker.decision.Verdict;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.ReviewMark;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.serviceruntime.LogContext;
import io.samplingbroker.serviceruntime.tracing.SamplingSpans;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/**
 * Decides each request: skips those that are past their deadline or already concluded, applies the policy against
 * the limit counters, charges the counters (a token budget is reserved until the request's completion settles it),
 * and forwards the resulting events keyed by request id.
 *
 * <p>Two instances run: one after the regrouping by limit scope, with the counters, and one where requests arrive,
 * for those whose decision reads no counter ({@link PolicyEvaluator#needsCounters}); that one has no stores.
 *
 * <p>Logs carry request ids, sizes and decisions, never prompt text.
 */
final class DecideProcessor implements Processor<String, SamplingRequested, String, Outcome> {

    private static final Logger LOG = LoggerFactory.getLogger(DecideProcessor.class);

    /** The ledger of the path without counters: the evaluator never reads it for the requests sent there. */
    private static final UsageLedger NO_COUNTERS = bucket -> {
        throw new IllegalStateException("A request whose decision reads limit counters took the path without them");
    };

    private final PolicyEvaluator evaluator;
    private final Clock clock;
    private final boolean counting;
    private final SamplingTopics topics;
    private final DecisionMetrics metrics;
    private final Tracer tracer;
    private ProcessorContext<String, Outcome> context;
    private StoreLedger ledger;
    private KeyValueStore<String, Long> concluded;
    private KeyValueStore<String, byte[]> reservations;

    private DecideProcessor(PolicyEvaluator evaluator, SamplingTopics topics, Clock clock, boolean counting,
            DecisionMetrics metrics, Tracer tracer) {
        this.topics = topics;
        this.tracer = tracer;
        this.metrics = metrics;
        this.evaluator = evaluator;
        this.clock = clock;
        this.counting = counting;
    }

    /** For requests regrouped by limit scope: reads and charges the counters. */
    static DecideProcessor withCounters(PolicyEvaluator evaluator, SamplingTopics topics, Clock clock,
            DecisionMetrics metrics, Tracer tracer) {
        return new DecideProcessor(evaluator, topics, clock, true, metrics, tracer);
    }

    /** For requests whose decision reads no counter: decides them where they arrive. */
    static DecideProcessor withoutCounters(PolicyEvaluator evaluator, SamplingTopics topics, Clock clock,
            DecisionMetrics metrics, Tracer tracer) {
        return new DecideProcessor(evaluator, topics, clock, false, metrics, tracer);
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.ledger = counting ? StoreLedger.of(context) : null;
        this.reservations = counting ? context.getStateStore(ApprovalStores.BUDGET_RESERVATIONS) : null;
        this.concluded = context.getStateStore(ApprovalStores.CONCLUDED_REQUESTS);
    }

    @Override
    public void process(Record<String, SamplingRequested> record) {
        try (LogContext ignored = LogContext.of(record.value().getContext())) {
            decide(record);
        }
    }

    private void decide(Record<String, SamplingRequested> record) {
        SamplingRequested request = record.value();
        SamplingContext requestContext = request.getContext();
        String requestId = requestContext.getRequestId();
        Instant now = clock.instant();
        if (!requestContext.getDeadline().isAfter(now)) {
            LOG.debug("Skipping request {}: its deadline {} has passed", requestId, requestContext.getDeadline());
            return;
        }
        if (concluded.get(requestId) != null) {
            LOG.debug("Skipping request {}: it was cancelled or otherwise concluded before a decision", requestId);
            return;
        }
        Span span = SamplingSpans.startFor(tracer, "sampling decide", requestContext, record.headers());
        try {
            judge(record, request, now, span);
        } finally {
            span.end();
        }
    }

    /** Applies the policy under the request's {@code sampling decide} span, and forwards the outcome under it. */
    private void judge(Record<String, SamplingRequested> record, SamplingRequested request, Instant now, Span span) {
        SamplingContext requestContext = request.getContext();
        String requestId = requestContext.getRequestId();
        long requestedAt = requestContext.getRequestedAt().toEpochMilli();
        Verdict verdict;
        if (counting) {
            verdict = evaluator.decide(request, ledger.viewFor(requestId, requestedAt));
            List<UsageCharge> charges = verdict.letsThrough() ? verdict.charges() : List.of();
            ledger.settle(requestId, requestedAt, charges);
            if (charges.stream().anyMatch(charge -> charge.bucket().kind().tokens() || charge.bucket().kind().cost())) {
                // open until the completion settles it (SettleUsageProcessor)
                reservations.put(requestId, new Reservation(requestedAt, requestContext.getDeadline().toEpochMilli(),
                        0).encode());
            }
        } else {
            verdict = evaluator.decide(request, NO_COUNTERS);
        }
        Outcome outcome = DecisionEvents.of(request, verdict, topics, now);
        span.setAttribute(SamplingSpans.DECISION, verdict.decision().name());
        span.setAttribute(SamplingSpans.DECIDED_BY, verdict.decidedBy().getKind() + " "
                + verdict.decidedBy().getName());
        RecordHeaders headers = new RecordHeaders();
        EventChain.follow(headers, EventChain.hashOf(record.headers())); // a decision follows its request
        TraceHeaders.inject(Context.root().with(span), headers); // and the worker's span follows the decision
        if (verdict.decision() == Decision.HELD_FOR_REVIEW) {
            headers.add(ReviewMark.request());
        } else if (verdict.reviewResponse()) {
            headers.add(ReviewMark.response());
        }
        context.forward(new Record<>(requestId, outcome, now.toEpochMilli(), headers));
        metrics.decided(requestContext, verdict, now);
        if (LOG.isInfoEnabled()) {
            LOG.info("Request {} from host {} server {} ({} messages, maxTokens {}): {} by {} {}{}", requestId,
                    requestContext.getHostId(), requestContext.getServerName(), request.getParams().getMessages().size(),
                    request.getParams().getMaxTokens(), verdict.decision(), verdict.decidedBy().getKind(),
                    verdict.decidedBy().getName(), verdict.changes().isEmpty() ? "" : " " + verdict.changes());
        }
    }
}
