package io.samplingbroker.approvalworker.decision;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * Turns a verdict into events. Every event carries the request's context unchanged (it routes the answer back to
 * the server's session); a denial also concludes the request with MCP's user-rejected error, since no later stage
 * will see it; a forward also tells the broker, on the results topic it reads, to send the request to the host.
 */
public final class DecisionEvents {

    /** {@code SamplingResolved.resolvedBy} of the answers this service writes. */
    public static final String RESOLVED_BY = "approval-worker";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionEvents() {
    }

    /**
     * The decision, and for a denial the server's answer. A decision that wants a reviewer to see the response
     * routes the answer to review ({@link ReplyRoutes#forDecision}): the completion then waits for a reviewer instead of
     * going straight to the broker.
     */
    public static Outcome of(SamplingRequested request, Verdict verdict, SamplingTopics topics, Instant now) {
        SamplingContext context = SamplingContext.newBuilder(request.getContext()).build();
        SamplingDecided decided = SamplingDecided.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setDecision(verdict.decision())
                .setDecidedBy(verdict.decidedBy())
                .setReason(verdict.reason())
                .setChanges(verdict.changes())
                .setEffectiveParams(verdict.effectiveParams())
                .setForcedModel(verdict.forcedModel())
                .setReviewResponse(verdict.reviewResponse())
                .setTriggeringToolCall(request.getTriggeringToolCall())
                .build();
        decided.setContext(ReplyRoutes.forDecision(decided, topics));
        if (verdict.decision() == Decision.FORWARDED) {
            // The broker answers nothing yet: it sends these params to the host and records the host's answer
            // on completions, routed (to review, or to itself) by the decision's reply route.
            return new Outcome(decided, SamplingResolved.newBuilder()
                    .setContext(SamplingContext.newBuilder(decided.getContext()).build())
                    .setOccurredAt(now)
                    .setForwardToHost(verdict.effectiveParams())
                    .setResolvedBy(RESOLVED_BY)
                    .build());
        }
        if (verdict.decision() != Decision.DENIED) {
            return new Outcome(decided, null);
        }
        SamplingResolved resolved = SamplingResolved.newBuilder()
                .setContext(SamplingContext.newBuilder(context).build())
                .setOccurredAt(now)
                .setError(new JsonRpcError(SamplingErrors.USER_REJECTED, SamplingErrors.USER_REJECTED_MESSAGE,
                        reasonJson(verdict.reason())))
                .setResolvedBy(RESOLVED_BY)
                .build();
        return new Outcome(decided, resolved);
    }

    /** The error's {@code data}: {@code {"reason": "..."}} as JSON text, escaped properly whatever the policy wrote. */
    static String reasonJson(String reason) {
        try {
            return JSON.writeValueAsString(Map.of("reason", reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a reason as JSON", e);
        }
    }
}
