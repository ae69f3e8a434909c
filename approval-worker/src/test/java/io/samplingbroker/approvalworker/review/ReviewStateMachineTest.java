package io.samplingbroker.approvalworker.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.SamplingAbandoned;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingDelivered;
import io.samplingbroker.events.SamplingExpired;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.testing.Requests;

/** The review state machine alone: transitions, refusals and what an input seen twice does. */
class ReviewStateMachineTest {

    private static final SamplingRequested REQUEST = Requests.request("req-9").text("hello").build();
    private static final Instant NOW = Requests.T0.plusSeconds(1);

    private static ReviewItem pending() {
        SamplingDecided held = SamplingDecided.newBuilder().setContext(REQUEST.getContext()).setOccurredAt(NOW)
                .setDecision(Decision.HELD_FOR_REVIEW).setDecidedBy(new Decider(DeciderKind.RULE, "hold-all"))
                .setEffectiveParams(REQUEST.getParams()).build();
        return ReviewStateMachine.held(null, held, NOW).item();
    }

    private static ReviewCommand command(ReviewStage stage, ReviewAction action, String reason) {
        return ReviewCommand.newBuilder().setRequestId("req-9").setCommandId(UUID.randomUUID().toString())
                .setStage(stage).setAction(action).setReviewer("alice").setSubmittedAt(NOW).setReason(reason).build();
    }

    @Test
    void givenAHeldRequestSeenAgain_whenHeld_thenNothingChanges() {
        SamplingDecided held = SamplingDecided.newBuilder().setContext(REQUEST.getContext()).setOccurredAt(NOW)
                .setDecision(Decision.HELD_FOR_REVIEW).setDecidedBy(new Decider(DeciderKind.RULE, "hold-all"))
                .setEffectiveParams(REQUEST.getParams()).build();

        assertThat(ReviewStateMachine.held(pending(), held, NOW).changesNothing()).isTrue();
    }

    @Test
    void givenAnAppliedCommandSeenAgain_whenApplied_thenNothingChangesAndNothingIsWrittenTwice() {
        // Given
        ReviewCommand approve = command(ReviewStage.REQUEST, ReviewAction.APPROVE, null);
        ReviewItem approved = ReviewStateMachine.command(pending(), approve, NOW).item();
        // When
        ReviewStep again = ReviewStateMachine.command(approved, approve, NOW.plusSeconds(1));
        // Then
        assertThat(again.changesNothing()).isTrue();
        assertThat(again.decided()).isNull();
    }

    @Test
    void givenAPendingRequest_whenAResponseCommandArrives_thenItIsRefusedForTheStage() {
        ReviewStep step = ReviewStateMachine.command(pending(), command(ReviewStage.RESPONSE, ReviewAction.APPROVE, null),
                NOW);

        assertThat(step.refusal()).isEqualTo("The review is at the request stage, not the response stage");
        assertThat(step.item().getState()).isEqualTo(ReviewState.PENDING);
        assertThat(step.decided()).isNull();
    }

    @Test
    void givenADenialWithoutReason_whenApplied_thenItIsRefusedAndTheItemStaysPending() {
        ReviewStep step = ReviewStateMachine.command(pending(), command(ReviewStage.REQUEST, ReviewAction.DENY, " "), NOW);

        assertThat(step.refusal()).isEqualTo("A denial needs a reason: the server is told why");
        assertThat(step.item().getState()).isEqualTo(ReviewState.PENDING);
    }

    @Test
    void givenAnEditWithoutParams_whenApplied_thenItIsRefused() {
        ReviewStep step = ReviewStateMachine.command(pending(), command(ReviewStage.REQUEST, ReviewAction.EDIT, null), NOW);

        assertThat(step.refusal()).isEqualTo("An edit of the request needs the edited params");
    }

    @Test
    void givenACommandAfterTheDeadline_whenApplied_thenItIsRefusedAsTooLate() {
        Instant late = REQUEST.getContext().getDeadline().plusMillis(1);

        ReviewStep step = ReviewStateMachine.command(pending(), command(ReviewStage.REQUEST, ReviewAction.APPROVE, null),
                late);

        assertThat(step.refusal()).startsWith("Too late: the request's deadline passed at ");
        assertThat(step.decided()).isNull();
    }

    @Test
    void givenManyLosingCommands_whenRefused_thenOnlyTheLastFewAreKept() {
        ReviewItem item = ReviewStateMachine.command(pending(), command(ReviewStage.REQUEST, ReviewAction.APPROVE, null),
                NOW).item();
        for (int i = 0; i < 8; i++) {
            item = ReviewStateMachine.command(item, command(ReviewStage.REQUEST, ReviewAction.APPROVE, null), NOW).item();
        }

        assertThat(item.getRefused()).hasSize(ReviewStateMachine.MAX_REFUSALS_KEPT);
    }

    @Test
    void givenLifecycleEvents_whenPending_thenExpiredAndAbandonedEndTheReviewButNotAConcludedOne() {
        ReviewItem expired = ReviewStateMachine.lifecycle(pending(), new SamplingExpired(REQUEST.getContext(), NOW, null),
                NOW).item();
        ReviewItem abandoned = ReviewStateMachine.lifecycle(pending(),
                new SamplingAbandoned(REQUEST.getContext(), NOW, "session closed"), NOW).item();

        assertThat(expired.getState()).isEqualTo(ReviewState.EXPIRED);
        assertThat(abandoned.getState()).isEqualTo(ReviewState.ABANDONED);
        assertThat(ReviewStateMachine.lifecycle(expired, new SamplingAbandoned(REQUEST.getContext(), NOW, "x"), NOW)
                .changesNothing()).isTrue();
    }

    @Test
    void givenAPendingReview_whenTheServerIsAnsweredAnyway_thenItIsAnsweredNotAbandoned() {
        ReviewItem answered = ReviewStateMachine.lifecycle(pending(),
                new SamplingDelivered(REQUEST.getContext(), NOW, -32001), NOW).item();

        assertThat(answered.getState()).isEqualTo(ReviewState.ANSWERED);
        assertThat(ReviewStateMachine.lifecycle(answered, new SamplingAbandoned(REQUEST.getContext(), NOW, "x"), NOW)
                .changesNothing()).isTrue();
    }

    @Test
    void givenAnUnknownRequest_whenACommandArrives_thenNothingIsStoredAndTheRefusalIsLogged() {
        ReviewStep step = ReviewStateMachine.command(null, command(ReviewStage.REQUEST, ReviewAction.APPROVE, null), NOW);

        assertThat(step.changesNothing()).isTrue();
        assertThat(step.refusal()).isEqualTo("no review for request req-9");
        assertThat(List.of(step)).hasSize(1);
    }
}
