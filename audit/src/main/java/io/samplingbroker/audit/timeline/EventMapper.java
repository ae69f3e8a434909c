package io.samplingbroker.audit.timeline;

import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingRefused;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.FailureAnswer;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * Turns a decoded event record into an {@link AuditEvent}: the actor (rule, reviewer, provider and model, broker),
 * the decision, changes (redacted unless content is shown), error codes, tokens and sizes; for a completion or
 * failure, every provider attempt (retries and fallbacks) and whether its reply route sends the answer to review ({@link ReplyRoutes#goesToReview}) or to the broker.
 */
public final class EventMapper {

    /** Actor kinds beside the decision's own (RULE, DEFAULT_ACTION, REVIEWER, SYSTEM). */
    public static final String PROVIDER = "PROVIDER";
    public static final String COMPONENT = "COMPONENT";
    public static final String BROKER = "BROKER";

    private final boolean showContent;
    /**
     * The decision shown for a {@code SamplingResolved} that forwards the request to the host: an instruction to the
     * broker, not an answer, so it explains no delivery (the host's answer on completions does).
     */
    public static final String FORWARD_TO_HOST = "forward to host";

    private final SamplingTopics topics;

    /** @param topics the replayed topics: their reviews topic tells a completion routed to review */
    public EventMapper(boolean showContent, SamplingTopics topics) {
        this.showContent = showContent;
        this.topics = topics;
    }

    /** The audit event of a record, or null for a value of a type the audit does not know. */
    public AuditEvent map(Object value, String topic, int partition, long offset, long timestamp) {
        if (value instanceof SamplingRequested e) {
            AuditEvent event = new AuditEvent(EventType.REQUESTED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(BROKER, e.getContext().getReplyRoute().getBrokerInstanceId())
                    .promptSize(e.getParams().getMessages().size(), ContentSizes.promptChars(e.getParams()),
                            e.getParams().getMaxTokens());
            return showContent ? event.content(ContentSizes.promptText(e.getParams())) : event;
        } else if (value instanceof SamplingRefused e) {
            return new AuditEvent(EventType.REFUSED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(BROKER, e.getContext().getReplyRoute().getBrokerInstanceId())
                    .decision(e.getReason().name()).errorCode(e.getErrorCode())
                    .reason(e.getDetail() + " (request of " + e.getRequestBytes() + " bytes, SHA-256 "
                            + e.getRequestSha256() + ")");
        } else if (value instanceof SamplingDecided e) {
            AuditEvent event = new AuditEvent(EventType.DECIDED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(e.getDecidedBy().getKind().name(), e.getDecidedBy().getName())
                    .decision(e.getDecision().name()).reason(e.getReason()).changes(changes(e.getChanges()))
                    .model(e.getForcedModel());
            if (e.getEffectiveParams() != null) {
                event.promptSize(e.getEffectiveParams().getMessages().size(),
                        ContentSizes.promptChars(e.getEffectiveParams()), e.getEffectiveParams().getMaxTokens());
            }
            return event;
        } else if (value instanceof ReviewCommand e) {
            return new AuditEvent(EventType.REVIEW_COMMAND, topic, partition, offset, timestamp, e.getSubmittedAt())
                    .actor("REVIEWER", e.getReviewer()).decision(e.getStage() + " " + e.getAction())
                    .reason(e.getReason()).model(e.getForcedModel());
        } else if (value instanceof SamplingCompleted e) {
            AuditEvent event = new AuditEvent(EventType.COMPLETED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(PROVIDER, e.getProvider() + "/" + e.getCreateMessageResult().getModel())
                    .model(e.getCreateMessageResult().getModel())
                    .decision(e.getCreateMessageResult().getStopReason())
                    .tokens(e.getUsage().getInputTokens(), e.getUsage().getOutputTokens())
                    .cachedInputTokens(e.getUsage().getCachedInputTokens())
                    .latencyMillis(e.getLatencyMillis())
                    .completionChars(ContentSizes.completionChars(e.getCreateMessageResult()))
                    .attempts(e.getProviderAttempts().stream().map(AttemptView::of).toList())
                    .routedToReview(ReplyRoutes.goesToReview(e.getContext(), topics));
            return showContent ? event.content(ContentSizes.completionText(e.getCreateMessageResult())) : event;
        } else if (value instanceof SamplingFailed e) {
            // A host's own error reaches the server with its own code; any other failure as -32002.
            return new AuditEvent(EventType.FAILED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(e.getProvider() != null ? PROVIDER : COMPONENT,
                            e.getProvider() != null ? e.getProvider() : e.getStage())
                    .failureCode(e.getErrorCode()).reason(e.getMessage())
                    .failureAnswerCode(FailureAnswer.codeOf(e))
                    .attempts(e.getProviderAttempts().stream().map(AttemptView::of).toList())
                    .routedToReview(ReplyRoutes.goesToReview(e.getContext(), topics));
        } else if (value instanceof SamplingResolved e) {
            return resolved(e, topic, partition, offset, timestamp);
        } else if (value instanceof SamplingDelivered e) {
            return new AuditEvent(EventType.DELIVERED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(BROKER, e.getContext().getReplyRoute().getBrokerInstanceId())
                    .decision(e.getErrorCode() == null ? "result" : "error").errorCode(e.getErrorCode());
        } else if (value instanceof SamplingCancelled e) {
            return new AuditEvent(EventType.CANCELLED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(e.getCancelledBy().name(), e.getCancelledBy().name().toLowerCase(java.util.Locale.ROOT))
                    .reason(e.getReason());
        } else if (value instanceof SamplingExpired e) {
            return new AuditEvent(EventType.EXPIRED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(BROKER, e.getContext().getReplyRoute().getBrokerInstanceId()).reason(e.getPendingAt());
        } else if (value instanceof SamplingAbandoned e) {
            return new AuditEvent(EventType.ABANDONED, topic, partition, offset, timestamp, e.getOccurredAt())
                    .actor(BROKER, e.getContext().getReplyRoute().getBrokerInstanceId()).reason(e.getReason());
        }
        return null;
    }

    private AuditEvent resolved(SamplingResolved e, String topic, int partition, long offset, long timestamp) {
        AuditEvent event = new AuditEvent(EventType.RESOLVED, topic, partition, offset, timestamp, e.getOccurredAt());
        ReviewVerdict review = e.getReview();
        if (review != null) {
            event.actor("REVIEWER", review.getReviewer()).decision("RESPONSE " + review.getAction())
                    .changes(changes(review.getChanges())).reason(review.getReason());
        } else {
            event.actor(COMPONENT, e.getResolvedBy());
        }
        if (e.getError() != null) {
            event.errorCode(e.getError().getCode());
            if (review == null) {
                event.decision("error").reason(e.getError().getMessage());
            }
        } else if (e.getForwardToHost() != null) {
            event.decision(FORWARD_TO_HOST);
        } else if (e.getCreateMessageResult() != null) {
            event.model(e.getCreateMessageResult().getModel())
                    .completionChars(ContentSizes.completionChars(e.getCreateMessageResult()));
            if (review == null) {
                event.decision("result");
            }
        }
        return event;
    }

    private java.util.List<String> changes(java.util.List<String> lines) {
        return showContent ? lines : ChangeRedactor.redact(lines);
    }
}
