package io.samplingbroker.approvalworker.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.samplingbroker.events.Decision;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.schemas.SamplingErrors;

/** A reviewer's decision on a held request: a decision event for the model-worker, and for a denial the answer. */
final class RequestReview {

    private RequestReview() {
    }

    static ReviewStep apply(ReviewItem item, ReviewCommand command, Instant now) {
        return switch (command.getAction()) {
            case APPROVE -> approve(item, command, item.getParams(), item.getForcedModel(), List.of(), now);
            case EDIT -> {
                String forcedModel = command.getForcedModel() != null && !command.getForcedModel().isBlank()
                        ? command.getForcedModel() : item.getForcedModel();
                List<String> changes = new ArrayList<>(ReviewDiff.of(item.getParams(), command.getEditedParams()));
                if (!Objects.equals(forcedModel, item.getForcedModel())) {
                    changes.add("model: " + (item.getForcedModel() == null ? "(server's preferences)" : item.getForcedModel())
                            + " -> " + forcedModel);
                }
                yield approve(item, command, command.getEditedParams(), forcedModel, changes, now);
            }
            case DENY -> deny(item, command, now);
        };
    }

    private static ReviewStep approve(ReviewItem item, ReviewCommand command, CreateMessageParams params,
            String forcedModel, List<String> changes, Instant now) {
        ReviewVerdict verdict = ReviewStateMachine.verdict(command, changes, now);
        boolean edited = !changes.isEmpty();
        SamplingDecided decided = SamplingDecided.newBuilder()
                .setContext(ReviewStateMachine.copy(item.getContext()))
                .setOccurredAt(now)
                .setDecision(edited ? Decision.AMENDED : Decision.APPROVED)
                .setDecidedBy(ReviewStateMachine.reviewer(command))
                .setReason(command.getReason())
                .setChanges(changes)
                .setEffectiveParams(ReviewStateMachine.copy(params))
                .setForcedModel(forcedModel)
                .setReviewResponse(item.getReviewResponse())
                .setTriggeringToolCall(item.getTriggeringToolCall())
                .build();
        ReviewItem decidedItem = ReviewItem.newBuilder(item)
                .setState(edited ? ReviewState.EDITED : ReviewState.APPROVED)
                .setParams(ReviewStateMachine.copy(params))
                .setForcedModel(forcedModel)
                .setDecision(verdict)
                .setUpdatedAt(now)
                .build();
        return ReviewStep.decided(decidedItem, decided, null);
    }

    private static ReviewStep deny(ReviewItem item, ReviewCommand command, Instant now) {
        ReviewVerdict verdict = ReviewStateMachine.verdict(command, List.of(), now);
        SamplingDecided decided = SamplingDecided.newBuilder()
                .setContext(ReviewStateMachine.copy(item.getContext()))
                .setOccurredAt(now)
                .setDecision(Decision.DENIED)
                .setDecidedBy(ReviewStateMachine.reviewer(command))
                .setReason(command.getReason())
                .build();
        SamplingResolved resolved = SamplingResolved.newBuilder()
                .setContext(ReviewStateMachine.copy(item.getContext()))
                .setOccurredAt(now)
                .setError(new JsonRpcError(SamplingErrors.USER_REJECTED, SamplingErrors.USER_REJECTED_MESSAGE,
                        ReviewerNote.json(command)))
                .setResolvedBy(ReviewerNote.RESOLVED_BY)
                .setReview(verdict)
                .build();
        ReviewItem decidedItem = ReviewItem.newBuilder(item)
                .setState(ReviewState.DENIED)
                .setDecision(verdict)
                .setUpdatedAt(now)
                .build();
        return ReviewStep.decided(decidedItem, decided, resolved);
    }
}
