package io.samplingbroker.approvalworker.review;

import java.time.Instant;
import java.util.List;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.schemas.SamplingErrors;

/** A reviewer's decision on a held response: the server's answer is the completion, an edited one, or a rejection. */
final class ResponseReview {

    private ResponseReview() {
    }

    static ReviewStep apply(ReviewItem item, ReviewCommand command, Instant now) {
        return switch (command.getAction()) {
            case APPROVE -> deliver(item, command, item.getCompletion(), List.of(), now);
            case EDIT -> deliver(item, command, command.getEditedResult(),
                    ReviewDiff.of(item.getCompletion(), command.getEditedResult()), now);
            case DENY -> reject(item, command, now);
        };
    }

    private static ReviewStep deliver(ReviewItem item, ReviewCommand command, CreateMessageResult result,
            List<String> changes, Instant now) {
        ReviewVerdict verdict = ReviewStateMachine.verdict(command, changes, now);
        SamplingResolved resolved = resolved(item, now, verdict).setCreateMessageResult(copy(result)).build();
        ReviewItem decidedItem = ReviewItem.newBuilder(item)
                .setState(changes.isEmpty() ? ReviewState.APPROVED : ReviewState.EDITED)
                .setCompletion(copy(result))
                .setDecision(verdict)
                .setUpdatedAt(now)
                .build();
        return ReviewStep.decided(decidedItem, null, resolved);
    }

    private static ReviewStep reject(ReviewItem item, ReviewCommand command, Instant now) {
        ReviewVerdict verdict = ReviewStateMachine.verdict(command, List.of(), now);
        SamplingResolved resolved = resolved(item, now, verdict)
                .setError(new JsonRpcError(SamplingErrors.RESPONSE_REJECTED, SamplingErrors.RESPONSE_REJECTED_MESSAGE,
                        ReviewerNote.json(command)))
                .build();
        ReviewItem decidedItem = ReviewItem.newBuilder(item)
                .setState(ReviewState.DENIED)
                .setDecision(verdict)
                .setUpdatedAt(now)
                .build();
        return ReviewStep.decided(decidedItem, null, resolved);
    }

    private static SamplingResolved.Builder resolved(ReviewItem item, Instant now, ReviewVerdict verdict) {
        return SamplingResolved.newBuilder()
                .setContext(ReviewStateMachine.copy(item.getContext()))
                .setOccurredAt(now)
                .setResolvedBy(ReviewerNote.RESOLVED_BY)
                .setReview(verdict);
    }

    private static CreateMessageResult copy(CreateMessageResult result) {
        return CreateMessageResult.newBuilder(result).build();
    }
}
