package io.samplingbroker.approvalworker.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.samplingbroker.events.CancelledBy;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.ReviewState;
import io.samplingbroker.events.SamplingCancelled;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.schemas.topics.ReplyRoutes;
import io.samplingbroker.serviceruntime.tracing.TraceHeaders;

/** Held requests and responses through the review topology: decisions, edits, denials, races, expiry, cancellation. */
class ReviewTopologyTest {

    private static final SamplingRequested REQUEST = Requests.request("req-1").systemPrompt("Be brief.")
            .text("Summarise the report").maxTokens(400).build();

    @Test
    void givenAHeldRequest_whenAReviewerApproves_thenADecisionByTheReviewerCarriesTheRequestToTheModel() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            ReviewItem pending = harness.lastReview();
            // When
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            // Then
            assertThat(pending.getState()).isEqualTo(ReviewState.PENDING);
            assertThat(pending.getHeldBy()).isEqualTo("hold-everything");
            assertThat(pending.getHoldReason()).isEqualTo("Needs a human");
            List<SamplingDecided> decisions = harness.reviewerDecisions();
            assertThat(decisions).singleElement().satisfies(decided -> {
                assertThat(decided.getDecision()).isEqualTo(Decision.APPROVED);
                assertThat(decided.getDecidedBy().getName()).isEqualTo("alice");
                assertThat(decided.getEffectiveParams()).isEqualTo(REQUEST.getParams());
                assertThat(decided.getContext()).isEqualTo(REQUEST.getContext());
            });
            ReviewItem approved = harness.lastReview();
            assertThat(approved.getState()).isEqualTo(ReviewState.APPROVED);
            assertThat(approved.getDecision().getReviewer()).isEqualTo("alice");
            assertThat(harness.results()).isEmpty();
        }
    }

    @Test
    void givenAHoldWrittenUnderASpan_whenAReviewerApprovesLater_thenAReviewSpanCoversTheWaitAndTheDecisionFollowsIt() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given a hold written under the decision span 00f0... of trace 4bf9...
            String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
            harness.upstreamTraceParent = "00-" + trace + "-00f067aa0ba902b7-01";
            harness.hold(REQUEST, false);
            harness.advance(Duration.ofSeconds(20));

            // When
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));

            // Then
            SpanData review = harness.spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getName().equals("sampling review")).findFirst().orElseThrow();
            assertThat(review.getTraceId()).isEqualTo(trace);
            assertThat(review.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(review.getEndEpochNanos() - review.getStartEpochNanos()).as("the wait, from the hold")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(20).toNanos());
            assertThat(review.getAttributes().asMap()).extractingFromEntries(entry -> entry.getKey().getKey() + "="
                    + entry.getValue()).contains("sampling.review.stage=REQUEST", "sampling.review.state=APPROVED",
                    "sampling.request_id=req-1");
            assertThat(harness.reviewerDecisionRecords()).singleElement().satisfies(record -> assertThat(
                    TraceHeaders.traceParentOf(TraceHeaders.extract(record.headers())))
                    .isEqualTo("00-" + trace + "-" + review.getSpanId() + "-01"));
        }
    }

    @Test
    void givenAHeldDecisionWithoutTheReviewMark_whenRead_thenItIsSkippedWithoutBeingDecoded() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // When
            harness.hold(REQUEST, false, false);
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            // Then
            assertThat(harness.reviews()).isEmpty();
            assertThat(harness.reviewerDecisions()).isEmpty();
        }
    }

    @Test
    void givenAHeldRequest_whenAReviewerEditsIt_thenTheModelGetsTheEditedParamsAndTheDecisionCarriesTheDiff() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            CreateMessageParams edited = CreateMessageParams.newBuilder(REQUEST.getParams())
                    .setSystemPrompt("Be brief.\nNever name customers.").setMaxTokens(200).build();
            ReviewCommand edit = harness.command("req-1", ReviewStage.REQUEST, ReviewAction.EDIT, "alice");
            edit.setEditedParams(edited);
            edit.setForcedModel("offline-echo");
            edit.setReason("removed customer names");
            // When
            harness.send(edit);
            // Then
            SamplingDecided decided = harness.reviewerDecisions().get(0);
            assertThat(decided.getDecision()).isEqualTo(Decision.AMENDED);
            assertThat(decided.getEffectiveParams()).isEqualTo(edited);
            assertThat(decided.getForcedModel()).isEqualTo("offline-echo");
            assertThat(decided.getReason()).isEqualTo("removed customer names");
            assertThat(decided.getChanges()).containsExactly("/systemPrompt:", "+ Never name customers.",
                    "/maxTokens: 400 -> 200", "model: (server's preferences) -> offline-echo");
            ReviewItem item = harness.lastReview();
            assertThat(item.getState()).isEqualTo(ReviewState.EDITED);
            assertThat(item.getDecision().getChanges()).isEqualTo(decided.getChanges());
        }
    }

    @Test
    void givenAHeldRequest_whenAReviewerDenies_thenTheServerGetsUserRejectedWithTheReasonAndReviewer() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            ReviewCommand deny = harness.command("req-1", ReviewStage.REQUEST, ReviewAction.DENY, "bob");
            deny.setReason("asks for \"secrets\"");
            // When
            harness.send(deny);
            // Then
            assertThat(harness.reviewerDecisions()).singleElement()
                    .satisfies(decided -> assertThat(decided.getDecision()).isEqualTo(Decision.DENIED));
            SamplingResolved resolved = harness.results().get(0);
            assertThat(resolved.getError().getCode()).isEqualTo(SamplingErrors.USER_REJECTED);
            assertThat(resolved.getError().getData()).isEqualTo("{\"reason\":\"asks for \\\"secrets\\\"\",\"reviewer\":\"bob\"}");
            assertThat(resolved.getReview().getReviewer()).isEqualTo("bob");
            assertThat(resolved.getResolvedBy()).isEqualTo("reviewer");
            assertThat(harness.lastReview().getState()).isEqualTo(ReviewState.DENIED);
        }
    }

    @Test
    void givenTwoReviewers_whenBothDecide_thenTheFirstWinsAndTheSecondIsRefusedNamingTheFirst() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            ReviewCommand alice = harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice");
            ReviewCommand bob = harness.command("req-1", ReviewStage.REQUEST, ReviewAction.DENY, "bob");
            bob.setReason("too late");
            // When
            harness.send(alice);
            harness.send(bob);
            // Then
            assertThat(harness.reviewerDecisions()).hasSize(1);
            assertThat(harness.results()).isEmpty();
            ReviewItem item = harness.lastReview();
            assertThat(item.getState()).isEqualTo(ReviewState.APPROVED);
            assertThat(item.getDecision().getCommandId()).isEqualTo(alice.getCommandId());
            assertThat(item.getRefused()).singleElement().satisfies(refused -> {
                assertThat(refused.getCommandId()).isEqualTo(bob.getCommandId());
                assertThat(refused.getWhy()).startsWith("Already decided by alice at ").endsWith("(approve)");
            });
        }
    }

    @Test
    void givenAHeldRequest_whenTheServerCancelsIt_thenItLeavesTheQueueAndALaterDecisionIsRefused() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            // When
            harness.lifecycle(new SamplingCancelled(REQUEST.getContext(), harness.clock.instant(), CancelledBy.SERVER,
                    "user gave up"), "req-1");
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            // Then
            List<ReviewItem> states = harness.reviews().stream().map(record -> record.value()).toList();
            assertThat(states).extracting(ReviewItem::getState)
                    .containsExactly(ReviewState.PENDING, ReviewState.CANCELLED, ReviewState.CANCELLED);
            assertThat(states.get(2).getRefused().get(0).getWhy()).isEqualTo("No longer pending: cancelled");
            assertThat(harness.reviewerDecisions()).isEmpty();
        }
    }

    @Test
    void givenAHeldRequest_whenItsDeadlinePassesWithoutWordFromTheBroker_thenItIsShownExpiredAndNothingIsWrittenToLifecycle() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given: the test request's deadline is a minute after T0
            harness.hold(REQUEST, false);
            // When
            harness.advance(Duration.ofSeconds(30));
            ReviewItem stillPending = harness.lastReview();
            double pendingThen = gauge(harness, "sampling.review.pending");
            double nearDeadlineThen = gauge(harness, "sampling.review.near.deadline");
            double oldestThen = gauge(harness, "sampling.review.oldest.pending");
            harness.advance(Duration.ofSeconds(40));
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            // Then
            assertThat(stillPending.getState()).isEqualTo(ReviewState.PENDING);
            assertThat(harness.lifecycleOut()).as("the broker alone writes the lifecycle").isEmpty();
            ReviewItem item = harness.lastReview();
            assertThat(item.getState()).isEqualTo(ReviewState.EXPIRED);
            assertThat(item.getRefused().get(0).getWhy()).isEqualTo("No longer pending: expired");
            assertThat(harness.reviewerDecisions()).isEmpty();
            assertThat(pendingThen).as("one item waits").isEqualTo(1.0);
            assertThat(nearDeadlineThen).as("30 s before its deadline").isEqualTo(1.0);
            assertThat(oldestThen).as("held 30 s before").isBetween(29.9, 30.1);
            assertThat(gauge(harness, "sampling.review.pending")).as("none once expired").isZero();
            assertThat(gauge(harness, "sampling.review.oldest.pending")).isZero();
        }
    }

    private static double gauge(ReviewHarness harness, String name) {
        return harness.metrics.registry().get(name).gauge().value();
    }

    @Test
    void givenAnApprovalWithResponseReview_whenTheModelAnswersAndAReviewerEditsIt_thenTheServerGetsTheEditedAnswer() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.approveWithResponseReview(REQUEST);
            assertThat(harness.reviews()).as("nothing to review before the answer").isEmpty();
            harness.complete(REQUEST, "The report names ACME Corp.");
            ReviewItem pending = harness.lastReview();
            ReviewCommand edit = harness.command("req-1", ReviewStage.RESPONSE, ReviewAction.EDIT, "carol");
            edit.setEditedResult(ReviewHarness.result("The report names a customer."));
            // When
            harness.send(edit);
            // Then
            assertThat(pending.getStage()).isEqualTo(ReviewStage.RESPONSE);
            assertThat(pending.getState()).isEqualTo(ReviewState.PENDING);
            assertThat(pending.getCompletion()).isEqualTo(ReviewHarness.result("The report names ACME Corp."));
            assertThat(pending.getOutputTokens()).isEqualTo(3L);
            SamplingResolved resolved = harness.results().get(0);
            assertThat(resolved.getCreateMessageResult()).isEqualTo(ReviewHarness.result("The report names a customer."));
            assertThat(resolved.getReview().getChanges()).containsExactly(
                    "/content/text: \"The report names ACME Corp.\" -> \"The report names a customer.\"");
            assertThat(harness.lastReview().getState()).isEqualTo(ReviewState.EDITED);
        }
    }

    @Test
    void givenAHeldResponse_whenAReviewerRejectsIt_thenTheServerGetsResponseRejected() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given: held at both stages
            harness.hold(REQUEST, true);
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            harness.complete(REQUEST, "an answer");
            ReviewCommand reject = harness.command("req-1", ReviewStage.RESPONSE, ReviewAction.DENY, "alice");
            reject.setReason("leaks data");
            // When
            harness.send(reject);
            // Then
            assertThat(harness.reviewerDecisions()).singleElement().satisfies(decided -> {
                assertThat(decided.getReviewResponse()).isTrue();
                assertThat(ReplyRoutes.goesToReview(decided.getContext(), ReviewHarness.TOPICS))
                        .as("the reviewer's approval routes the answer back to review").isTrue();
            });
            SamplingResolved resolved = harness.results().get(0);
            assertThat(resolved.getContext().getReplyRoute().getReplyTopic())
                    .as("the reviewed answer goes on to the broker").isEqualTo(ReviewHarness.TOPICS.results().name());
            assertThat(resolved.getError().getCode()).isEqualTo(SamplingErrors.RESPONSE_REJECTED);
            assertThat(resolved.getError().getMessage()).isEqualTo(SamplingErrors.RESPONSE_REJECTED_MESSAGE);
            assertThat(harness.lastReview().getState()).isEqualTo(ReviewState.DENIED);
        }
    }

    @Test
    void givenAnApprovalWithResponseReview_whenTheModelFails_thenTheServerGetsTheFailureFromHereAndTheItemIsRemoved() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.approveWithResponseReview(REQUEST);
            // When the model fails: the broker delivers nothing routed to review, so the answer comes from here
            harness.fail(REQUEST, "PROVIDER_UNAVAILABLE", "provider answered 503");
            // Then
            SamplingResolved resolved = harness.results().get(0);
            assertThat(resolved.getError().getCode()).isEqualTo(SamplingErrors.SAMPLING_FAILED);
            assertThat(resolved.getError().getMessage()).isEqualTo("Sampling failed: provider answered 503");
            assertThat(resolved.getError().getData()).isEqualTo("{\"errorCode\":\"PROVIDER_UNAVAILABLE\"}");
            assertThat(resolved.getResolvedBy()).isEqualTo(ReviewStateMachine.FAILURE_RESOLVED_BY);
            assertThat(resolved.getContext().getReplyRoute().getReplyTopic())
                    .isEqualTo(ReviewHarness.TOPICS.results().name());
            assertThat(harness.reviews()).singleElement().satisfies(tombstone -> assertThat(tombstone.value()).isNull());
        }
    }

    @Test
    void givenAHeldRequestApprovedWithoutResponseReview_whenItsCompletionArrives_thenReviewIgnoresIt() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            assertThat(harness.reviewerDecisions()).singleElement().satisfies(decided -> assertThat(
                    ReplyRoutes.goesToReview(decided.getContext(), ReviewHarness.TOPICS)).isFalse());
            harness.reviews();
            // When the completion comes, routed straight to the broker
            harness.complete(REQUEST, "an answer", REQUEST.getContext());
            // Then
            assertThat(harness.reviews()).isEmpty();
            assertThat(harness.results()).isEmpty();
            assertThat(harness.lastStored("req-1").getState()).isEqualTo(ReviewState.APPROVED);
        }
    }

    @Test
    void givenAConcludedReview_whenItsRetentionPasses_thenItIsRemovedWithATombstone() {
        try (ReviewHarness harness = new ReviewHarness()) {
            // Given
            harness.hold(REQUEST, false);
            harness.send(harness.command("req-1", ReviewStage.REQUEST, ReviewAction.APPROVE, "alice"));
            harness.reviews();
            // When
            harness.advance(ReviewStateMachine.CONCLUDED_RETENTION.plusMinutes(2));
            // Then
            assertThat(harness.reviews()).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("req-1");
                assertThat(record.value()).isNull();
            });
        }
    }
}
