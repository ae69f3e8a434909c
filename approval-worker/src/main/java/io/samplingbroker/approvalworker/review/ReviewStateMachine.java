package io.samplingbroker.approvalworker.review;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.RefusedCommand;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.schemas.FailureAnswer;

/**
 * The life of one review, as pure functions from (stored item, input, time) to a {@link ReviewStep}:
 *
 * <pre>
 * request held ──▶ PENDING(request) ──approve──▶ APPROVED ──(reviewResponse)──▶ completion ──▶ PENDING(response)
 *                                   ──edit─────▶ EDITED   ──(reviewResponse)──▶ ...
 *                                   ──deny─────▶ DENIED
 * PENDING(any) ──cancelled──▶ CANCELLED, ──expired──▶ EXPIRED, ──session gone──▶ ABANDONED,
 *              ──the server got an answer (delivered)──▶ ANSWERED
 * PENDING(response) ──approve / edit / deny──▶ APPROVED / EDITED / DENIED (the result is delivered, edited or rejected)
 * </pre>
 *
 * The first command on a pending item wins; any later one is refused and listed on the item, so its console can
 * say who decided first. Every function is idempotent for an input seen twice (at-least-once processing).
 */
public final class ReviewStateMachine {

    /** {@code SamplingResolved.resolvedBy} of a model failure answered by the review stage. */
    public static final String FAILURE_RESOLVED_BY = "review";
    /** How long after its deadline a pending item waits for the broker's expiry before marking it expired here. */
    public static final Duration EXPIRY_GRACE = Duration.ofSeconds(5);
    /** How long a concluded item stays listed (and stored) after its last change. */
    public static final Duration CONCLUDED_RETENTION = Duration.ofMinutes(15);
    static final int MAX_REFUSALS_KEPT = 5;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ReviewStateMachine() {
    }

    /** A rule or the default action held the request. */
    public static ReviewStep held(ReviewItem existing, SamplingDecided decision, Instant now) {
        if (existing != null) {
            return ReviewStep.NOTHING;
        }
        return ReviewStep.shown(ReviewItem.newBuilder()
                .setContext(copy(decision.getContext()))
                .setStage(ReviewStage.REQUEST)
                .setState(ReviewState.PENDING)
                .setHeldBy(decision.getDecidedBy().getName())
                .setHeldAt(now)
                .setHoldReason(decision.getReason())
                .setTriggeringToolCall(decision.getTriggeringToolCall())
                .setParams(decision.getEffectiveParams())
                .setForcedModel(decision.getForcedModel())
                .setReviewResponse(decision.getReviewResponse())
                .setUpdatedAt(now)
                .build());
    }

    /** A rule approved or amended the request and asked to see the answer: remember it until the completion. */
    public static ReviewStep responseReviewAsked(ReviewItem existing, SamplingDecided decision, Instant now) {
        if (existing != null) {
            return ReviewStep.NOTHING; // the same decision read again (at-least-once processing)
        }
        return ReviewStep.kept(ReviewItem.newBuilder()
                .setContext(copy(decision.getContext()))
                .setStage(ReviewStage.REQUEST)
                .setState(decision.getDecision() == Decision.AMENDED ? ReviewState.EDITED : ReviewState.APPROVED)
                .setHeldBy(decision.getDecidedBy().getName())
                .setHeldAt(now)
                .setTriggeringToolCall(decision.getTriggeringToolCall())
                .setParams(decision.getEffectiveParams())
                .setForcedModel(decision.getForcedModel())
                .setReviewResponse(true)
                .setUpdatedAt(now)
                .build());
    }

    /** The model answered a request whose response is to be reviewed: the answer waits for a reviewer. */
    public static ReviewStep completed(ReviewItem existing, SamplingCompleted completion, Instant now) {
        if (existing == null || !existing.getReviewResponse() || existing.getStage() != ReviewStage.REQUEST
                || !(existing.getState() == ReviewState.APPROVED || existing.getState() == ReviewState.EDITED)) {
            return ReviewStep.NOTHING;
        }
        return ReviewStep.shown(ReviewItem.newBuilder(existing)
                .setStage(ReviewStage.RESPONSE)
                .setState(ReviewState.PENDING)
                .setHeldAt(now)
                .setCompletion(completion.getCreateMessageResult())
                .setProvider(completion.getProvider())
                .setInputTokens(completion.getUsage().getInputTokens())
                .setOutputTokens(completion.getUsage().getOutputTokens())
                .setDecision(null)
                .setRefused(List.of())
                .setUpdatedAt(now)
                .build());
    }

    /**
     * The model failed on a request whose response was routed to review: nothing is left to review, and the server
     * gets the failure from here (the broker delivers no outcome routed to review).
     */
    public static ReviewStep failed(ReviewItem existing, SamplingFailed failure, Instant now) {
        if (existing == null || existing.getState() == ReviewState.PENDING) {
            return ReviewStep.NOTHING;
        }
        return ReviewStep.removedAnswering(SamplingResolved.newBuilder()
                .setContext(copy(existing.getContext()))
                .setOccurredAt(now)
                .setError(FailureAnswer.of(failure))
                .setResolvedBy(FAILURE_RESOLVED_BY)
                .build());
    }

    /** The broker reports the request cancelled, expired, abandoned or answered: a pending review ends. */
    public static ReviewStep lifecycle(ReviewItem existing, Object event, Instant now) {
        if (existing == null || existing.getState() != ReviewState.PENDING) {
            return ReviewStep.NOTHING;
        }
        ReviewState state;
        if (event instanceof SamplingCancelled) {
            state = ReviewState.CANCELLED;
        } else if (event instanceof SamplingExpired) {
            state = ReviewState.EXPIRED;
        } else if (event instanceof SamplingAbandoned) {
            state = ReviewState.ABANDONED;
        } else if (event instanceof SamplingDelivered) {
            state = ReviewState.ANSWERED; // nothing a reviewer decides now can reach the server
        } else {
            return ReviewStep.NOTHING;
        }
        return ReviewStep.shown(ReviewItem.newBuilder(existing).setState(state).setUpdatedAt(now).build());
    }

    /**
     * Time passes: a pending item the broker never reported on (its instance is gone) is shown expired, nothing is
     * written for it (the broker alone writes the lifecycle); what concluded long ago is forgotten.
     */
    public static ReviewStep tick(ReviewItem existing, Instant now) {
        if (existing.getState() == ReviewState.PENDING) {
            if (now.isAfter(existing.getContext().getDeadline().plus(EXPIRY_GRACE))) {
                return ReviewStep.shown(ReviewItem.newBuilder(existing).setState(ReviewState.EXPIRED)
                        .setUpdatedAt(now).build());
            }
            return ReviewStep.NOTHING;
        }
        Instant lastUseful = existing.getUpdatedAt().isAfter(existing.getContext().getDeadline())
                ? existing.getUpdatedAt() : existing.getContext().getDeadline();
        return now.isAfter(lastUseful.plus(CONCLUDED_RETENTION)) ? ReviewStep.removed() : ReviewStep.NOTHING;
    }

    /** A reviewer's command: applied if the item is pending at that stage and in time, else refused. */
    public static ReviewStep command(ReviewItem existing, ReviewCommand command, Instant now) {
        if (existing == null) {
            return ReviewStep.unknown("no review for request " + command.getRequestId());
        }
        if (alreadyHandled(existing, command)) {
            return ReviewStep.NOTHING;
        }
        String refusal = refusalOf(existing, command, now);
        if (refusal != null) {
            return ReviewStep.refused(withRefusal(existing, command, refusal, now), refusal);
        }
        return existing.getStage() == ReviewStage.REQUEST ? RequestReview.apply(existing, command, now)
                : ResponseReview.apply(existing, command, now);
    }

    private static String refusalOf(ReviewItem item, ReviewCommand command, Instant now) {
        if (item.getState() != ReviewState.PENDING) {
            ReviewVerdict decision = item.getDecision();
            if (decision != null) {
                return "Already decided by " + decision.getReviewer() + " at " + TIME.format(decision.getDecidedAt())
                        + " (" + decision.getAction().name().toLowerCase(Locale.ROOT) + ")";
            }
            return "No longer pending: " + item.getState().name().toLowerCase(Locale.ROOT);
        }
        if (item.getStage() != command.getStage()) {
            return "The review is at the " + item.getStage().name().toLowerCase(Locale.ROOT) + " stage, not the "
                    + command.getStage().name().toLowerCase(Locale.ROOT) + " stage";
        }
        if (!now.isBefore(item.getContext().getDeadline())) {
            return "Too late: the request's deadline passed at " + TIME.format(item.getContext().getDeadline());
        }
        if (command.getAction() == ReviewAction.DENY && (command.getReason() == null || command.getReason().isBlank())) {
            return "A denial needs a reason: the server is told why";
        }
        if (command.getAction() == ReviewAction.EDIT && command.getStage() == ReviewStage.REQUEST
                && command.getEditedParams() == null) {
            return "An edit of the request needs the edited params";
        }
        if (command.getAction() == ReviewAction.EDIT && command.getStage() == ReviewStage.RESPONSE
                && command.getEditedResult() == null) {
            return "An edit of the response needs the edited result";
        }
        return null;
    }

    /** The same command seen again after a crash: it was applied or refused already. */
    private static boolean alreadyHandled(ReviewItem item, ReviewCommand command) {
        if (item.getDecision() != null && item.getDecision().getCommandId().equals(command.getCommandId())) {
            return true;
        }
        return item.getRefused().stream().anyMatch(refused -> refused.getCommandId().equals(command.getCommandId()));
    }

    private static ReviewItem withRefusal(ReviewItem item, ReviewCommand command, String why, Instant now) {
        List<RefusedCommand> refused = new ArrayList<>(item.getRefused());
        refused.add(new RefusedCommand(command.getCommandId(), command.getReviewer(), now, why));
        while (refused.size() > MAX_REFUSALS_KEPT) {
            refused.remove(0);
        }
        return ReviewItem.newBuilder(item).setRefused(refused).setUpdatedAt(now).build();
    }

    static ReviewVerdict verdict(ReviewCommand command, List<String> changes, Instant now) {
        return new ReviewVerdict(command.getCommandId(), command.getReviewer(), now, command.getAction(),
                command.getReason(), changes);
    }

    static Decider reviewer(ReviewCommand command) {
        return new Decider(DeciderKind.REVIEWER, command.getReviewer());
    }

    static SamplingContext copy(SamplingContext context) {
        return SamplingContext.newBuilder(context).build();
    }

    static CreateMessageParams copy(CreateMessageParams params) {
        return CreateMessageParams.newBuilder(params).build();
    }
}
