package io.samplingbroker.approvalworker.review;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.serviceruntime.LogContext;
import io.samplingbroker.serviceruntime.tracing.SamplingSpans;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/**
 * Applies every input concerning a review to the stored item, one request at a time (all inputs are keyed by
 * request id and co-partitioned, so one task sees all of a request's events in order), and writes what follows.
 * The store is changelogged: pending reviews survive a restart of the worker.
 *
 * <p>Logs carry request ids, stages, states and reviewer names, never prompt or completion text.
 */
final class ReviewProcessor implements Processor<String, Object, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewProcessor.class);
    static final Duration TICK = Duration.ofSeconds(1);

    private final Clock clock;
    private final SamplingTopics topics;
    private final ReviewQueueMetrics queue;
    private final Tracer tracer;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, ReviewItem> items;

    ReviewProcessor(SamplingTopics topics, Clock clock, ReviewQueueMetrics queue, Tracer tracer) {
        this.topics = topics;
        this.tracer = tracer;
        this.clock = clock;
        this.queue = queue;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.items = context.getStateStore(ReviewTopology.ITEMS_STORE);
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, ignored -> tick());
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        try (LogContext ignored = LogContext.of(EventContexts.of(record.value()))) {
            review(record);
        }
    }

    private void review(Record<String, Object> record) {
        Object value = record.value();
        if (isOutcome(value) && !ReplyRoutes.goesToReview(EventContexts.of(value), topics)) {
            return; // the broker answers from this outcome itself
        }
        String requestId = record.key();
        ReviewItem existing = items.get(requestId);
        Instant now = clock.instant();
        // Reviewers' events follow the event the review acted on last: the held decision, then the completion.
        byte[] follows = existing == null || existing.getChainHead() == null ? null : existing.getChainHead().array();
        byte[] inputHash = EventChain.hashOf(record.headers());
        // the review's span follows what the review acted on; a failure that ends it, the failure
        String traceParent = existing == null || existing.getTraceParent() == null || value instanceof SamplingFailed
                ? TraceHeaders.traceParentOf(TraceHeaders.extract(record.headers())) : existing.getTraceParent();
        ReviewStep step;
        if (value instanceof SamplingDecided decided) {
            step = onDecision(existing, decided, now);
        } else if (value instanceof SamplingCompleted completed) {
            step = ReviewStateMachine.completed(existing, completed, now);
        } else if (value instanceof SamplingFailed failed) {
            step = ReviewStateMachine.failed(existing, failed, now);
            follows = inputHash; // the server's answer is the failure's
        } else if (value instanceof ReviewCommand command) {
            step = ReviewStateMachine.command(existing, command, now);
        } else {
            step = ReviewStateMachine.lifecycle(existing, value, now);
        }
        boolean actsOnInput = value instanceof SamplingDecided || value instanceof SamplingCompleted;
        if (actsOnInput && step.item() != null && inputHash != null) {
            step.item().setChainHead(ByteBuffer.wrap(inputHash));
        }
        if (actsOnInput && step.item() != null) {
            traceParent = TraceHeaders.traceParentOf(TraceHeaders.extract(record.headers()));
            step.item().setTraceParent(traceParent);
        }
        apply(requestId, step, now, follows, new Traced(traceParent, existing));
    }

    private static boolean isOutcome(Object value) {
        return value instanceof SamplingCompleted || value instanceof SamplingFailed;
    }

    /**
     * Headers of an event that follows {@code follows} in the chain (its own hash is stamped when written), written
     * under {@code span}.
     */
    private static RecordHeaders following(byte[] follows, Span span) {
        RecordHeaders headers = new RecordHeaders();
        EventChain.follow(headers, follows);
        TraceHeaders.inject(Context.root().with(span), headers);
        return headers;
    }

    /** What the review's span hangs under, and the item as it was before the step (its wait began at heldAt). */
    private record Traced(String traceParent, ReviewItem before) {
    }

    private static ReviewStep onDecision(ReviewItem existing, SamplingDecided decided, Instant now) {
        if (decided.getDecision() == Decision.HELD_FOR_REVIEW) {
            return ReviewStateMachine.held(existing, decided, now);
        }
        // Only marked decisions get here (ReviewMark): the policy's holds and its approvals that ask for response
        // review. The reviewers' decisions this processor writes carry no mark, so they are skipped undecoded.
        boolean letThrough = decided.getDecision() == Decision.APPROVED || decided.getDecision() == Decision.AMENDED
                || decided.getDecision() == Decision.FORWARDED;
        if (letThrough && decided.getReviewResponse()) {
            return ReviewStateMachine.responseReviewAsked(existing, decided, now);
        }
        return ReviewStep.NOTHING;
    }

    private void tick() {
        Instant now = clock.instant();
        List<KeyValue<String, ReviewStep>> steps = new ArrayList<>();
        Map<String, byte[]> heads = new HashMap<>();
        Map<String, Traced> traces = new HashMap<>();
        ReviewQueueMetrics.Count count = new ReviewQueueMetrics.Count(now);
        try (KeyValueIterator<String, ReviewItem> all = items.all()) {
            while (all.hasNext()) {
                KeyValue<String, ReviewItem> entry = all.next();
                ReviewStep step = ReviewStateMachine.tick(entry.value, now);
                if (step.changesNothing()) {
                    count.add(entry.value);
                } else {
                    steps.add(KeyValue.pair(entry.key, step));
                    heads.put(entry.key, entry.value.getChainHead() == null ? null : entry.value.getChainHead().array());
                    traces.put(entry.key, new Traced(entry.value.getTraceParent(), entry.value));
                    count.add(step.delete() ? null : step.item());
                }
            }
        }
        steps.forEach(entry -> apply(entry.key, entry.value, now, heads.get(entry.key), traces.get(entry.key)));
        queue.counted(context.taskId().toString(), count);
    }

    /**
     * The wait of a review that ended with something to write (a reviewer's decision, an expiry, the model's failure):
     * from the hold to now, under what it acted on.
     */
    private Span reviewSpan(SamplingContext request, ReviewStep step, Instant now, Traced traced) {
        ReviewItem before = traced == null ? null : traced.before();
        Context parent = TraceHeaders.fromTraceParent(traced == null ? null : traced.traceParent());
        Span span = tracer.spanBuilder("sampling review").setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(before == null ? now : before.getHeldAt())
                .setAttribute(SamplingSpans.REQUEST_ID, request.getRequestId()).startSpan();
        if (before != null) {
            span.setAttribute(SamplingSpans.REVIEW_STAGE, before.getStage().name());
        }
        ReviewItem after = step.item();
        span.setAttribute(SamplingSpans.REVIEW_STATE, after == null ? "removed" : after.getState().name());
        return span;
    }

    @Override
    public void close() {
        if (context != null) {
            queue.released(context.taskId().toString());
        }
    }

    private void apply(String requestId, ReviewStep step, Instant now, byte[] follows, Traced traced) {
        if (step.refusal() != null) {
            LOG.info("Review of request {}: command refused: {}", requestId, step.refusal());
        }
        if (step.changesNothing()) {
            return;
        }
        long timestamp = now.toEpochMilli();
        if (step.delete()) {
            items.delete(requestId);
            context.forward(new Record<>(requestId, null, timestamp), ReviewTopology.TO_REVIEWS);
        } else {
            items.put(requestId, step.item());
            if (step.visible()) {
                context.forward(new Record<>(requestId, step.item(), timestamp), ReviewTopology.TO_REVIEWS);
            }
        }
        SamplingDecided decided = step.decided();
        SamplingResolved resolved = step.resolved();
        if (decided != null || resolved != null) {
            Span span = reviewSpan(decided != null ? decided.getContext() : resolved.getContext(), step, now, traced);
            if (decided != null) {
                decided.setContext(ReplyRoutes.forDecision(decided, topics)); // a response to review comes back here
                context.forward(new Record<>(requestId, decided, timestamp, following(follows, span)),
                        ReviewTopology.TO_DECISIONS);
            }
            if (resolved != null) {
                resolved.setContext(ReplyRoutes.toBroker(resolved.getContext(), topics)); // reviewed: on to the server
                context.forward(new Record<>(requestId, resolved, timestamp, following(follows, span)),
                        ReviewTopology.TO_RESULTS);
            }
            span.end(now);
        }
        ReviewItem item = step.item();
        if (item == null) {
            LOG.info("Review of request {}: {}", requestId, resolved != null ? "the model failed; answered with the error"
                    : "removed");
            return;
        }
        LOG.info("Review of request {} from host {} server {}: {} {}{}", requestId, item.getContext().getHostId(),
                item.getContext().getServerName(), item.getStage(), item.getState(),
                item.getDecision() == null ? "" : " by " + item.getDecision().getReviewer());
    }
}
