package io.samplingbroker.broker.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.EventContexts;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.serviceruntime.LogContext;

/**
 * How each pending request ends, exactly once: answered (by the model's completion or failure, or a result), expired
 * at its deadline, refused because it could not be recorded, cancelled by the server, or abandoned with its session;
 * and the lifecycle event that records it. A request the policy forwards to the host ends its wait here with a
 * {@link SamplingOutcome.Forward}, and waits again, wherever the host's answer arrives, once that answer is written. Answers reach it from the {@link AnswerRouter}, which has already kept only those routed to this instance.
 * Thread-safe; never blocks its callers.
 */
final class SamplingLifecycle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingLifecycle.class);

    private final Clock clock;
    private final DeadlineScheduler deadlines;
    private final EventPublisher publisher;
    private final String lifecycleTopic;
    private final PendingRequests pending = new PendingRequests();
    private final RequestMetrics metrics;
    private final PipelineLoad load;

    SamplingLifecycle(Clock clock, DeadlineScheduler deadlines, EventPublisher publisher, String lifecycleTopic,
            RequestMetrics metrics, PipelineLoad load) {
        this.clock = clock;
        this.load = load;
        this.metrics = metrics;
        this.deadlines = deadlines;
        this.publisher = publisher;
        this.lifecycleTopic = lifecycleTopic;
    }

    /** Starts waiting for the request's outcome, at most until the deadline its context names. */
    void await(PendingRequest request) {
        pending.add(request);
        Duration left = Duration.between(clock.instant(), request.context.getDeadline());
        request.expiry = deadlines.schedule(left, () -> expire(request));
    }

    int pendingCount() {
        return pending.size();
    }

    /**
     * An answer routed to this instance (a completion, a failure or a result); one for a request no longer pending
     * (expired, cancelled, duplicate) is ignored.
     */
    void answer(SpecificRecord answer, byte[] answerHash) {
        try (LogContext ignored = LogContext.of(EventContexts.of(answer))) {
            answered(answer, answerHash);
        }
    }

    private void answered(SpecificRecord answer, byte[] answerHash) {
        String requestId = EventContexts.of(answer).getRequestId();
        PendingRequest request = pending.byRequestId(requestId);
        if (request == null) {
            LOG.debug("Answer for request {} arrived after it was concluded (expired, cancelled or duplicate); ignored",
                    requestId);
            return;
        }
        request.chain.advance(answerHash); // the delivery follows the answer it delivers
        metrics.answered(answer);
        if (answer instanceof SamplingCompleted completed) {
            // the model's (or the host's) own time is not the pipeline's; a reviewed response comes as a result
            load.answered(Duration.between(request.context.getRequestedAt(), clock.instant()).toMillis()
                    - completed.getLatencyMillis());
        }
        if (answer instanceof SamplingResolved resolved && resolved.getForwardToHost() != null) {
            // Not an answer: the host will give it. Its context is the decision's, routed to review if asked.
            conclude(request, new SamplingOutcome.Forward(new ForwardedRequest(resolved.getContext(), answerHash,
                    clock.instant(), request.trace.traceParent()),
                    SamplingParamsJson.toJson(resolved.getForwardToHost()).toString()), null);
            return;
        }
        conclude(request, SamplingReplies.answer(request, answer), null);
    }

    /** The request could not be written to Kafka: the server hears so at once, and no worker will ever see it. */
    void refuse(PendingRequest request, Throwable failure) {
        conclude(request, SamplingReplies.notRecorded(request, failure), null);
    }

    /**
     * The server (or the host a delegated request or a 2026-07-28 call is for) cancelled the request: nothing will be
     * sent, and the cancelled event, naming {@code by}, tells the workers to skip it.
     *
     * @return whether the id named a request pending here
     */
    boolean cancel(String sessionId, String jsonRpcIdJson, String reason, CancelledBy by) {
        PendingRequest request = pending.bySessionAndJsonRpcId(sessionId, jsonRpcIdJson);
        if (request == null) {
            return false;
        }
        if (conclude(request, new SamplingOutcome.NoReply(request.requestId(), reason),
                new SamplingCancelled(request.context, clock.instant(), by, reason))) {
            metrics.ended(request.context, "cancelled");
            LOG.info("Sampling request {} cancelled by the {} (server {})", request.requestId(),
                    by.name().toLowerCase(Locale.ROOT), request.context.getServerName());
        }
        return true;
    }

    /** The session went away: its pending requests can no longer be answered. */
    void abandonSession(String sessionId, String reason) {
        pending.ofSession(sessionId).forEach(request -> abandon(request, reason));
    }

    /** Records that the reply reached the server; a reply that is no request's has no history. */
    void delivered(SamplingOutcome.Reply reply) {
        metrics.delivered(reply);
        reply.trace().delivered(true);
        if (reply.context() != null) {
            try (LogContext ignored = LogContext.of(reply.context())) {
                Instant now = clock.instant();
                // debug: this runs on the event loop, and the audit is the record of every answer
                LOG.debug("Sampling request {} answered with {} after {} ms", reply.requestId(),
                        reply.errorCode() == null ? "a result" : "error " + reply.errorCode(),
                        Duration.between(reply.context().getRequestedAt(), now).toMillis());
                record(reply.requestId(), new SamplingDelivered(reply.context(), now, reply.errorCode()),
                        reply.chain(), reply.trace());
            }
        }
    }

    /** The broker is stopping: every request still pending is abandoned, and no deadline fires any more. */
    @Override
    public void close() {
        pending.all().forEach(request -> abandon(request, "broker stopping"));
        deadlines.close();
    }

    void abandon(PendingRequest request, String reason) {
        if (conclude(request, new SamplingOutcome.NoReply(request.requestId(), reason),
                new SamplingAbandoned(request.context, clock.instant(), reason))) {
            metrics.ended(request.context, "abandoned");
        }
    }

    /** How far behind the pipeline is, from the answers this instance got. */
    PipelineLoad load() {
        return load;
    }

    /** What the broker records of its answers. */
    RequestMetrics metrics() {
        return metrics;
    }

    void expire(PendingRequest request) {
        try (LogContext ignored = LogContext.of(request.context)) {
            expired(request);
        }
    }

    private void expired(PendingRequest request) {
        if (conclude(request, SamplingReplies.expired(request), new SamplingExpired(request.context, clock.instant(), null))) {
            LOG.info("Sampling request {} expired after {} s", request.requestId(), request.timeAllowed().toSeconds());
        }
    }

    /**
     * Completes a pending request exactly once; false if something else concluded it first. The lifecycle event
     * that explains the outcome is queued before the outcome is released, so it precedes the delivered event.
     */
    private boolean conclude(PendingRequest request, SamplingOutcome outcome, Object lifecycleEvent) {
        if (!pending.remove(request)) {
            return false;
        }
        DeadlineScheduler.Cancellable expiry = request.expiry;
        if (expiry != null) {
            expiry.cancel();
        }
        if (lifecycleEvent != null) {
            record(request.requestId(), lifecycleEvent, request.chain, request.trace);
        }
        traceConclusion(request.trace, outcome, lifecycleEvent);
        request.outcome.complete(outcome);
        return true;
    }

    /** A reply starts its delivery; a request that ends without one has its span end here. */
    private static void traceConclusion(RequestTrace trace, SamplingOutcome outcome, Object lifecycleEvent) {
        if (outcome instanceof SamplingOutcome.Reply reply) {
            trace.replying(reply.errorCode());
        } else if (outcome instanceof SamplingOutcome.Forward) {
            trace.ended("forwarded");
        } else {
            trace.ended(lifecycleEvent instanceof SamplingCancelled ? "cancelled" : "abandoned");
        }
    }

    private void record(String requestId, Object event, ChainHead chain, RequestTrace trace) {
        publisher.publish(lifecycleTopic, requestId, event, chain, trace).whenComplete((ack, failure) -> {
            if (failure != null) {
                LOG.error("Lifecycle event {} for request {} could not be written: {}",
                        event.getClass().getSimpleName(), requestId, failure.toString());
            }
        });
    }
}
