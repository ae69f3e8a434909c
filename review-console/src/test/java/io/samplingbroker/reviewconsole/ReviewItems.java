package io.samplingbroker.reviewconsole;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.events.RefusedCommand;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.testing.Requests;

/** Review items as the approval-worker publishes them, for tests that play its part. */
final class ReviewItems {

    private ReviewItems() {
    }

    /** Held at the request stage now, due in five minutes. */
    static ReviewItem pending(String requestId) {
        return pending(Requests.request(requestId).requestedAt(Instant.now()).deadlineAfter(Duration.ofMinutes(5)));
    }

    static ReviewItem pending(Requests request) {
        SamplingRequested requested = request.build();
        Instant now = Instant.now();
        return ReviewItem.newBuilder()
                .setContext(requested.getContext())
                .setStage(ReviewStage.REQUEST)
                .setState(ReviewState.PENDING)
                .setHeldBy("hold-everything")
                .setHeldAt(now)
                .setHoldReason("Everything server needs a human")
                .setTriggeringToolCall("trigger-sampling-request")
                .setParams(requested.getParams())
                .setUpdatedAt(now)
                .build();
    }

    /** What the approval-worker publishes when it applies {@code commandId}. */
    static ReviewItem decided(ReviewItem item, String commandId, String reviewer, ReviewAction action) {
        Instant now = Instant.now();
        ReviewState state = switch (action) {
            case APPROVE -> ReviewState.APPROVED;
            case EDIT -> ReviewState.EDITED;
            case DENY -> ReviewState.DENIED;
        };
        return ReviewItem.newBuilder(item).setState(state)
                .setDecision(ReviewVerdict.newBuilder().setCommandId(commandId).setReviewer(reviewer)
                        .setDecidedAt(now).setAction(action).setReason(null).build())
                .setUpdatedAt(now)
                .build();
    }

    /** What the approval-worker publishes when it refuses {@code commandId}. */
    static ReviewItem refused(ReviewItem item, String commandId, String reviewer, String why) {
        List<RefusedCommand> refused = new ArrayList<>(item.getRefused());
        refused.add(new RefusedCommand(commandId, reviewer, Instant.now(), why));
        return ReviewItem.newBuilder(item).setRefused(refused).setUpdatedAt(Instant.now()).build();
    }
}
