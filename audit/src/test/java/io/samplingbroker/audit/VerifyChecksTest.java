package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.COMMANDS;
import static io.samplingbroker.audit.Events.COMPLETIONS;
import static io.samplingbroker.audit.Events.DECISIONS;
import static io.samplingbroker.audit.Events.LIFECYCLE;
import static io.samplingbroker.audit.Events.REQUESTS;
import static io.samplingbroker.audit.Events.RESULTS;
import static io.samplingbroker.audit.Events.T0;
import static io.samplingbroker.audit.Events.command;
import static io.samplingbroker.audit.Events.completed;
import static io.samplingbroker.audit.Events.completedByHost;
import static io.samplingbroker.audit.Events.context;
import static io.samplingbroker.audit.Events.decided;
import static io.samplingbroker.audit.Events.delivered;
import static io.samplingbroker.audit.Events.expired;
import static io.samplingbroker.audit.Events.failed;
import static io.samplingbroker.audit.Events.forwardToHost;
import static io.samplingbroker.audit.Events.refused;
import static io.samplingbroker.audit.Events.requested;
import static io.samplingbroker.audit.Events.resolvedError;
import static io.samplingbroker.audit.Events.resolvedResult;
import static io.samplingbroker.audit.Events.resolvedReviewed;
import static io.samplingbroker.audit.Events.toBroker;
import static io.samplingbroker.audit.Events.verdict;
import static io.samplingbroker.audit.Events.viaReview;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.audit.replay.PartitionRange;
import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.EventType;
import io.samplingbroker.audit.timeline.Outcome;
import io.samplingbroker.audit.timeline.TimelineFilter;
import io.samplingbroker.audit.verify.AuditScope;
import io.samplingbroker.audit.verify.Finding;
import io.samplingbroker.audit.verify.Findings;
import io.samplingbroker.audit.verify.KnownRequestCheck;
import io.samplingbroker.audit.verify.LogStartCheck;
import io.samplingbroker.audit.verify.StageOrderCheck;
import io.samplingbroker.audit.verify.TerminalEventCheck;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.RefusalReason;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.schemas.SamplingErrors;

class VerifyChecksTest {

    /** A complete, honest history of one request as the services wrote it before the broker read completions. */
    private static Events honest(Events events, SamplingContext c) {
        return events.add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()))
                .add(COMPLETIONS, 20, completed(c, 20, "offline-echo", 1, 2))
                .add(RESULTS, 21, resolvedResult(c, 21, "offline-echo"))
                .add(LIFECYCLE, 30, delivered(c, 30, null));
    }

    @Test
    void givenAnHonestHistory_whenEveryCheckRuns_thenNothingIsFound() {
        // Given / When
        Events events = honest(Events.replay(new TerminalEventCheck(), new KnownRequestCheck(), new StageOrderCheck()),
                context("r-1")).finish();
        // Then
        assertThat(events.findings.isEmpty()).as("%s", events.findings.list()).isTrue();
    }

    @Test
    void givenARequestTheBrokerRefused_whenVerified_thenItsRefusalExplainsTheErrorDeliveredAndNothingIsFound() {
        // Given
        SamplingContext c = context("r-refused");
        Events events = Events.replay(new TerminalEventCheck(), new KnownRequestCheck(), new StageOrderCheck())
                .add(REQUESTS, 0, refused(c, 0, RefusalReason.TOO_LARGE, SamplingErrors.INVALID_PARAMS))
                .add(LIFECYCLE, 5, delivered(c, 5, SamplingErrors.INVALID_PARAMS));
        // When
        events.finish();
        // Then
        assertThat(events.findings.isEmpty()).as("%s", events.findings.list()).isTrue();
        assertThat(events.only().outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(events.only().events()).extracting(AuditEvent::type)
                .containsExactly(EventType.REFUSED, EventType.DELIVERED);
        assertThat(events.only().events().get(0).reason()).isEqualTo("8388700 bytes, more than the 1000000 of "
                + "broker.sampling.max.request.bytes (request of 8388700 bytes, SHA-256 " + "0f".repeat(32) + ")");
    }

    @Test
    void givenARefusal_whenAnotherErrorIsDelivered_thenTheStageOrderCheckNamesTheDelivery() {
        SamplingContext c = context("r-refused-other");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, refused(c, 0, RefusalReason.PENDING_LIMIT, SamplingErrors.LIMIT_REACHED))
                .add(LIFECYCLE, 5, delivered(c, 5, SamplingErrors.USER_REJECTED));

        events.finish();

        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("stage-order");
            assertThat(f.message()).contains("delivery of error -1 without a result or error");
        });
    }

    @Test
    void givenARequestWithoutTerminalEventPastItsDeadline_whenVerified_thenTheTerminalCheckNamesItAndItsLastRecord() {
        // Given a request decided but never delivered; its deadline (T0 + 30 s) plus grace is long past "now"
        SamplingContext c = context("r-lost");
        Events events = Events.replay(new TerminalEventCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()));
        // When
        events.finish();
        // Then
        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("terminal");
            assertThat(f.requestId()).isEqualTo("r-lost");
            assertThat(f.where()).isEqualTo("sampling.decisions[0]@1");
        });
    }

    @Test
    void givenARequestWithoutTerminalEventBeforeItsDeadline_whenVerified_thenItIsOpenNotAnError() {
        // Given now (T0 + 1 h) is before the deadline plus grace
        SamplingContext c = context("r-young", "h", "s", T0.plusSeconds(3590), T0.plusSeconds(3650));
        Events events = Events.replay(new TerminalEventCheck()).add(REQUESTS, 3_590_000, requested(c, "hello"));
        // When
        events.finish();
        // Then
        assertThat(events.findings.isEmpty()).isTrue();
        assertThat(events.only().outcome()).isEqualTo(Outcome.OPEN);
        assertThat(events.stats.open()).isEqualTo(1);
    }

    @Test
    void givenADecisionWhoseRequestIsMissing_whenVerified_thenTheKnownRequestCheckNamesTheDecisionRecord() {
        SamplingContext c = context("r-orphan");
        Events events = Events.replay(new KnownRequestCheck())
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()));

        events.finish();

        assertThat(events.findings.list()).singleElement().extracting(Finding::check, Finding::requestId, Finding::where)
                .containsExactly("known-request", "r-orphan", "sampling.decisions[0]@0");
    }

    @Test
    void givenEventsOfARequestAskedBeforeFrom_whenVerifiedFromThatTime_thenTheyAreCarriedOverNotErrors() {
        // Given --from = T0 + 5 s and a request asked at T0 whose expiry and delivery come after
        SamplingContext c = context("r-earlier");
        Events events = new Events(Events.scope(T0.plusSeconds(5)), TimelineFilter.none(), List.of(new KnownRequestCheck()), false)
                .add(LIFECYCLE, 30_000, expired(c, 30_000))
                .add(LIFECYCLE, 30_001, delivered(c, 30_001, -32001));
        // When
        events.finish();
        // Then
        assertThat(events.findings.isEmpty()).isTrue();
        assertThat(events.stats.carriedOver()).isEqualTo(1);
        assertThat(events.timelines).isEmpty();
    }

    @Test
    void givenAnEventLongAfterItsRequestClosed_whenVerified_thenItIsReportedAsLate() {
        SamplingContext c = context("r-late");
        Events events = honest(Events.replay(new KnownRequestCheck()), c)
                .add(LIFECYCLE, 120_000, delivered(c, 120_000, null)); // settle (60 s) has passed

        events.finish();

        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.where()).isEqualTo("sampling.lifecycle[0]@5");
            assertThat(f.message()).contains("after the request's timeline was closed");
        });
    }

    @Test
    void givenADecisionBeforeItsRequest_whenVerified_thenTheStageOrderCheckReportsIt() {
        SamplingContext c = context("r-early", "h", "s", T0.plusSeconds(1), T0.plusSeconds(30));
        Events events = Events.replay(new StageOrderCheck())
                .add(DECISIONS, 0, decided(c, 0, Decision.DENIED, DeciderKind.RULE, "no", null, List.of()))
                .add(REQUESTS, 1000, requested(c, "hello"))
                .add(LIFECYCLE, 2000, expired(c, 2000))
                .add(LIFECYCLE, 2001, delivered(c, 2001, -32001));

        events.finish();

        assertThat(events.findings.list()).singleElement().extracting(Finding::message).asString()
                .contains("decided at").contains("is before its request");
    }

    @Test
    void givenADeliveryWithoutAResult_whenVerified_thenTheStageOrderCheckReportsIt() {
        // Given an approved request delivered with neither a result nor a completion before it (a completion routed
        // to the broker would explain the delivery now: see the new-layout tests below)
        SamplingContext c = context("r-noresult");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()))
                .add(LIFECYCLE, 30, delivered(c, 30, null));

        events.finish();

        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.where()).isEqualTo("sampling.lifecycle[0]@2");
            assertThat(f.message()).isEqualTo("delivery of a result without a result or error on the results topic before it");
        });
    }

    @Test
    void givenANewLayoutHistoryDeliveredFromTheCompletion_whenEveryCheckRuns_thenNothingIsFound() {
        // Given request, decision, completion routed to the broker, and the delivery that follows the completion:
        // no SamplingResolved at all
        SamplingContext c = context("r-new");
        Events events = Events.replay(new TerminalEventCheck(), new KnownRequestCheck(), new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()))
                .add(COMPLETIONS, 20, completed(c, 20, "offline-echo", 1, 2))
                .add(LIFECYCLE, 30, delivered(c, 30, null));
        // When
        events.finish();
        // Then
        assertThat(events.findings.isEmpty()).as("%s", events.findings.list()).isTrue();
        assertThat(events.only().outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(events.only().has(EventType.RESOLVED)).isFalse();
    }

    @Test
    void givenAFailureDeliveredAsSamplingFailed_whenEveryCheckRuns_thenNothingIsFound() {
        // Given
        SamplingContext c = context("r-new-failed");
        Events events = Events.replay(new TerminalEventCheck(), new KnownRequestCheck(), new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()))
                .add(COMPLETIONS, 50, failed(c, 50, "PROVIDER_UNAVAILABLE"))
                .add(LIFECYCLE, 60, delivered(c, 60, SamplingErrors.SAMPLING_FAILED));
        // When
        events.finish();
        // Then
        assertThat(events.findings.isEmpty()).as("%s", events.findings.list()).isTrue();
        assertThat(events.only().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void givenACompletionRoutedToReviewDeliveredWithoutAReviewersResult_whenVerified_thenTheStageOrderCheckReportsIt() {
        // Given the policy routed the response to review, and the completion carries that route
        SamplingContext c = context("r-unreviewed");
        SamplingContext review = viaReview(c);
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(review, 10, Decision.APPROVED, DeciderKind.RULE, "check-answers", null, List.of()))
                .add(COMPLETIONS, 20, completed(review, 20, "offline-echo", 1, 1))
                .add(LIFECYCLE, 30, delivered(c, 30, null));
        // When
        events.finish();
        // Then the delivery is named: the server got a response no reviewer released
        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("stage-order");
            assertThat(f.requestId()).isEqualTo("r-unreviewed");
            assertThat(f.where()).isEqualTo("sampling.lifecycle[0]@3");
            assertThat(f.message()).isEqualTo("delivery of a response routed to review without a reviewer's result");
        });
    }

    @Test
    void givenAFailureRoutedToReviewDeliveredWithoutTheReviewStagesAnswer_whenVerified_thenTheStageOrderCheckReportsIt() {
        SamplingContext c = context("r-unreviewed-failure");
        SamplingContext review = viaReview(c);
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(review, 10, Decision.APPROVED, DeciderKind.RULE, "check-answers", null, List.of()))
                .add(COMPLETIONS, 20, failed(review, 20, "PROVIDER_UNAVAILABLE"))
                .add(LIFECYCLE, 30, delivered(c, 30, SamplingErrors.SAMPLING_FAILED));

        events.finish();

        assertThat(events.findings.list()).singleElement().extracting(Finding::message)
                .isEqualTo("delivery of error -32002 routed to review without a reviewer's result");
    }

    @Test
    void givenAReviewedResponse_whenEveryCheckRuns_thenNothingIsFound() {
        // Given the completion waits for review, alice releases it, and her result (routed back to the broker) is
        // what the broker delivers
        SamplingContext c = context("r-reviewed");
        SamplingContext review = viaReview(c);
        Events events = Events.replay(new TerminalEventCheck(), new KnownRequestCheck(), new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(review, 10, Decision.APPROVED, DeciderKind.RULE, "check-answers", null, List.of()))
                .add(COMPLETIONS, 20, completed(review, 20, "offline-echo", 1, 1))
                .add(COMMANDS, 4000, command(c, 4000, ReviewStage.RESPONSE, ReviewAction.APPROVE, "alice"))
                .add(RESULTS, 4010, resolvedReviewed(toBroker(c), 4010, "offline-echo",
                        verdict("alice", 4000, ReviewAction.APPROVE, List.of())))
                .add(LIFECYCLE, 4020, delivered(c, 4020, null));
        // When
        events.finish();
        // Then
        assertThat(events.findings.isEmpty()).as("%s", events.findings.list()).isTrue();
        assertThat(events.only().outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(events.only().reviewers()).containsExactly("alice");
    }

    @Test
    void givenAFailureRoutedToReviewAnsweredByTheReviewStage_whenVerified_thenNothingIsFound() {
        SamplingContext c = context("r-review-failed");
        SamplingContext review = viaReview(c);
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(review, 10, Decision.APPROVED, DeciderKind.RULE, "check-answers", null, List.of()))
                .add(COMPLETIONS, 20, failed(review, 20, "PROVIDER_UNAVAILABLE"))
                .add(RESULTS, 21, resolvedError(toBroker(c), 21, SamplingErrors.SAMPLING_FAILED, "review", null))
                .add(LIFECYCLE, 30, delivered(c, 30, SamplingErrors.SAMPLING_FAILED));

        events.finish();

        assertThat(events.findings.isEmpty()).as("%s", events.findings.list()).isTrue();
        assertThat(events.only().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void givenAFailureDeliveredAsAResult_whenVerified_thenTheStageOrderCheckReportsTheMismatch() {
        // Given the model failed, yet the server got a result, and no result on the results topic explains it
        SamplingContext c = context("r-failed-as-result");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()))
                .add(COMPLETIONS, 20, failed(c, 20, "PROVIDER_UNAVAILABLE"))
                .add(LIFECYCLE, 30, delivered(c, 30, null));

        events.finish();

        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.where()).isEqualTo("sampling.lifecycle[0]@3");
            assertThat(f.message()).isEqualTo("delivery of a result where the model's outcome routed to the broker"
                    + " was a failure (delivered as error -32002), without a result or error on the results topic"
                    + " before it");
        });
    }

    @Test
    void givenACompletionDeliveredAsAnError_whenVerified_thenTheStageOrderCheckReportsTheMismatch() {
        SamplingContext c = context("r-completed-as-error");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()))
                .add(COMPLETIONS, 20, completed(c, 20, "offline-echo", 1, 1))
                .add(LIFECYCLE, 30, delivered(c, 30, SamplingErrors.SAMPLING_FAILED));

        events.finish();

        assertThat(events.findings.list()).singleElement().extracting(Finding::message).asString()
                .startsWith("delivery of error -32002 where the model's outcome routed to the broker was a completion");
    }

    @Test
    void givenTwoDeliveries_whenVerified_thenTheStageOrderCheckNamesBoth() {
        SamplingContext c = context("r-twice");
        Events events = honest(Events.replay(new StageOrderCheck()), c).add(LIFECYCLE, 40, delivered(c, 40, null));

        events.finish();

        assertThat(events.findings.list()).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("delivered 2 times");
            assertThat(f.where()).isEqualTo("sampling.lifecycle[0]@4, sampling.lifecycle[0]@5");
        });
    }

    @Test
    void givenARequestForwardedToTheHost_whenTheHostsAnswerIsDelivered_thenTheStageOrderCheckFindsNothing() {
        SamplingContext c = context("r-forwarded");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.FORWARDED, DeciderKind.RULE, "own-model", null, List.of()))
                .add(RESULTS, 11, forwardToHost(c, 11))
                .add(COMPLETIONS, 20, completedByHost(c, 20, "claude-host"))
                .add(LIFECYCLE, 30, delivered(c, 30, null));

        events.finish();

        assertThat(events.findings.list()).isEmpty();
    }

    @Test
    void givenAHostThatRejectedAForwardedRequest_whenItsErrorIsDelivered_thenOnlyThatCodeIsExplained() {
        SamplingContext c = context("r-host-rejected");
        SamplingFailed rejected = SamplingFailed.newBuilder(failed(c, 20, "HOST_ERROR")).setStage("host")
                .setProvider("host").setHostError(new JsonRpcError(-1, "User rejected sampling request", null)).build();
        Events honest = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.FORWARDED, DeciderKind.RULE, "own-model", null, List.of()))
                .add(RESULTS, 11, forwardToHost(c, 11))
                .add(COMPLETIONS, 20, rejected)
                .add(LIFECYCLE, 30, delivered(c, 30, -1));
        SamplingContext d = context("r-host-rejected-as-failed");
        Events misdelivered = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(d, "hello"))
                .add(DECISIONS, 10, decided(d, 10, Decision.FORWARDED, DeciderKind.RULE, "own-model", null, List.of()))
                .add(RESULTS, 11, forwardToHost(d, 11))
                .add(COMPLETIONS, 20, SamplingFailed.newBuilder(rejected).setContext(d).build())
                .add(LIFECYCLE, 30, delivered(d, 30, SamplingErrors.SAMPLING_FAILED));

        honest.finish();
        misdelivered.finish();

        assertThat(honest.findings.list()).isEmpty();
        assertThat(misdelivered.findings.list()).singleElement().extracting(Finding::message).asString()
                .contains("a failure (delivered as error -1)");
    }

    @Test
    void givenAForwardToTheHost_whenAResultIsDeliveredWithoutTheHostsAnswer_thenTheStageOrderCheckReportsIt() {
        SamplingContext c = context("r-forward-unanswered");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.FORWARDED, DeciderKind.RULE, "own-model", null, List.of()))
                .add(RESULTS, 11, forwardToHost(c, 11))
                .add(LIFECYCLE, 30, delivered(c, 30, null));

        events.finish();

        assertThat(events.findings.list()).singleElement().extracting(Finding::message).asString()
                .isEqualTo("delivery of a result without a result or error on the results topic before it");
    }

    @Test
    void givenACompletionWithoutApproval_whenVerified_thenTheStageOrderCheckReportsIt() {
        SamplingContext c = context("r-unapproved");
        Events events = Events.replay(new StageOrderCheck())
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.HELD_FOR_REVIEW, DeciderKind.RULE, "hold", null, List.of()))
                .add(COMPLETIONS, 20, completed(c, 20, "offline-echo", 1, 1))
                .add(RESULTS, 21, resolvedResult(c, 21, "offline-echo"))
                .add(LIFECYCLE, 30, delivered(c, 30, null));

        events.finish();

        assertThat(events.findings.list()).singleElement().extracting(Finding::message).asString()
                .contains("completed without an earlier approving or forwarding decision");
    }

    @Test
    void givenAPartitionWhoseFirstRecordsWereDeleted_whenVerifiedFromTheBeginning_thenTheLogStartCheckReportsIt() {
        // Given
        LogStartCheck check = new LogStartCheck();
        PartitionRange trimmed = new PartitionRange("requests", "sampling.requests", 3, 120, 120, 500);
        AuditScope all = new AuditScope(null, null, T0, Duration.ofMinutes(2));
        AuditScope fromLater = new AuditScope(T0, null, T0, Duration.ofMinutes(2));
        Findings findings = new Findings();
        // When
        check.onPartition(trimmed, all, findings);
        check.onPartition(trimmed, fromLater, findings);
        check.onPartition(new PartitionRange("requests", "sampling.requests", 4, 0, 0, 500), all, findings);
        // Then only the replay from the beginning of the trimmed partition finds it
        assertThat(findings.list()).singleElement().extracting(Finding::where).isEqualTo("sampling.requests[3]@0-119");
    }

    @Test
    void givenMoreFindingsThanKept_whenCounted_thenAllAreCountedAndTheRestDropped() {
        Findings findings = new Findings(2);
        for (int i = 0; i < 5; i++) {
            findings.add("terminal", "r-" + i, null, "x");
        }
        assertThat(findings.total()).isEqualTo(5);
        assertThat(findings.list()).hasSize(2);
        assertThat(findings.dropped()).isEqualTo(3);
    }
}
