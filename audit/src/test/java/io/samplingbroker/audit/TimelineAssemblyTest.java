package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.COMMANDS;
import static io.samplingbroker.audit.Events.COMPLETIONS;
import static io.samplingbroker.audit.Events.DECISIONS;
import static io.samplingbroker.audit.Events.LIFECYCLE;
import static io.samplingbroker.audit.Events.REQUESTS;
import static io.samplingbroker.audit.Events.RESULTS;
import static io.samplingbroker.audit.Events.T0;
import static io.samplingbroker.audit.Events.cancelled;
import static io.samplingbroker.audit.Events.command;
import static io.samplingbroker.audit.Events.completed;
import static io.samplingbroker.audit.Events.context;
import static io.samplingbroker.audit.Events.decided;
import static io.samplingbroker.audit.Events.delivered;
import static io.samplingbroker.audit.Events.expired;
import static io.samplingbroker.audit.Events.failed;
import static io.samplingbroker.audit.Events.requested;
import static io.samplingbroker.audit.Events.resolvedError;
import static io.samplingbroker.audit.Events.resolvedResult;
import static io.samplingbroker.audit.Events.resolvedReviewed;
import static io.samplingbroker.audit.Events.toBroker;
import static io.samplingbroker.audit.Events.verdict;
import static io.samplingbroker.audit.Events.viaReview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.audit.output.JsonLinesWriter;
import io.samplingbroker.audit.output.TableWriter;
import io.samplingbroker.audit.timeline.AttemptView;
import io.samplingbroker.audit.timeline.AuditEvent;
import io.samplingbroker.audit.timeline.Outcome;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.audit.timeline.TimelineFilter;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ProviderAttempt;
import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewStage;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;

class TimelineAssemblyTest {

    @Test
    void givenAnApprovedRequest_whenReplayed_thenItsTimelineNamesEveryStageModelTokensAndLatency() {
        // Given
        SamplingContext c = context("r-approved");
        // When
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "What is MCP sampling?"))
                .add(DECISIONS, 20, decided(c, 20, Decision.APPROVED, DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()))
                .add(COMPLETIONS, 40, completed(c, 40, "offline-echo", 4, 12))
                .add(RESULTS, 45, resolvedResult(c, 45, "offline-echo"))
                .add(LIFECYCLE, 60, delivered(c, 60, null))
                .finish().only();
        // Then
        assertThat(t.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(t.events()).extracting(e -> e.type().label(), AuditEvent::actorKind, AuditEvent::actor, AuditEvent::decision)
                .containsExactly(tuple("requested", "BROKER", "broker-1", null),
                        tuple("decided", "DEFAULT_ACTION", "defaultAction", "APPROVED"),
                        tuple("completed", "PROVIDER", "offline/offline-echo", "endTurn"),
                        tuple("resolved", "COMPONENT", "model-worker", "result"),
                        tuple("delivered", "BROKER", "broker-1", "result"));
        assertThat(t.models()).containsExactly("offline-echo");
        assertThat(t.inputTokens()).isEqualTo(4);
        assertThat(t.outputTokens()).isEqualTo(12);
        assertThat(t.deliveryLatencyMillis()).isEqualTo(60);
        assertThat(t.requestEvent().promptChars()).isEqualTo("What is MCP sampling?".length());
        assertThat(t.requestEvent().content()).isNull();
    }

    @Test
    void givenARequestDeniedByARule_whenReplayed_thenTheOutcomeIsDeniedWithTheRuleAndNoModel() {
        SamplingContext c = context("r-denied");
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "my password is hunter2"))
                .add(DECISIONS, 10, decided(c, 10, Decision.DENIED, DeciderKind.RULE, "no-secrets", "Prompts with passwords", List.of()))
                .add(RESULTS, 11, resolvedError(c, 11, -1, "approval-worker", null))
                .add(LIFECYCLE, 30, delivered(c, 30, -1))
                .finish().only();

        assertThat(t.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(t.events().get(1)).extracting(AuditEvent::actorKind, AuditEvent::actor, AuditEvent::reason)
                .containsExactly("RULE", "no-secrets", "Prompts with passwords");
        assertThat(t.models()).isEmpty();
    }

    @Test
    void givenARequestEditedByAReviewer_whenReplayed_thenTheReviewerAndRedactedChangesAreShown() {
        // Given a held request that alice edits
        SamplingContext c = context("r-edited");
        List<String> changes = List.of("/messages/0/content/0/text: \"Tell me about ACME\" -> \"Tell me about a customer\"",
                "/maxTokens: 40 -> 100");
        Events events = Events.replay()
                .add(REQUESTS, 0, requested(c, "Tell me about ACME"))
                .add(DECISIONS, 10, decided(c, 10, Decision.HELD_FOR_REVIEW, DeciderKind.RULE, "hold-everything", "needs a human", List.of()))
                .add(COMMANDS, 5000, command(c, 5000, ReviewStage.REQUEST, ReviewAction.EDIT, "alice"))
                .add(DECISIONS, 5010, decided(c, 5010, Decision.AMENDED, DeciderKind.REVIEWER, "alice", "no customer names", changes))
                .add(COMPLETIONS, 5020, completed(c, 5020, "offline-echo", 5, 9))
                .add(RESULTS, 5021, resolvedResult(c, 5021, "offline-echo"))
                .add(LIFECYCLE, 5030, delivered(c, 5030, null));
        // When
        Timeline t = events.finish().only();
        // Then
        assertThat(t.outcome()).isEqualTo(Outcome.EDITED);
        assertThat(t.reviewers()).containsExactly("alice");
        assertThat(t.events().get(3).changes()).containsExactly("/messages/0/content/0/text: (20 chars) -> (26 chars)",
                "/maxTokens: 40 -> 100");
        String json = JsonLinesWriter.toJson(t).toString();
        assertThat(json).doesNotContain("ACME").contains("\"outcome\":\"edited\"").contains("\"actor\":\"alice\"");
    }

    @Test
    void givenShowContent_whenReplayed_thenPromptTextAndFullChangesAreKept() {
        SamplingContext c = context("r-content");
        Events events = new Events(Events.scope(null), TimelineFilter.none(), List.of(), true)
                .add(REQUESTS, 0, requested(c, "Tell me about ACME"))
                .add(DECISIONS, 10, decided(c, 10, Decision.AMENDED, DeciderKind.REVIEWER, "alice", null,
                        List.of("/messages/0/content/0/text: \"Tell me about ACME\" -> \"x\"")))
                .add(LIFECYCLE, 20, cancelled(c, 20));

        Timeline t = events.finish().only();

        assertThat(t.requestEvent().content()).isEqualTo("user: Tell me about ACME");
        assertThat(t.events().get(1).changes()).singleElement().asString().contains("ACME");
    }

    @Test
    void givenAFailedCompletion_whenReplayed_thenTheOutcomeIsFailedWithTheFailureCode() {
        SamplingContext c = context("r-failed");
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.AMENDED, DeciderKind.RULE, "force-broken", null, List.of("model [] -> broken")))
                .add(COMPLETIONS, 50, failed(c, 50, "PROVIDER_UNAVAILABLE"))
                .add(RESULTS, 51, resolvedError(c, 51, -32002, "model-worker", null))
                .add(LIFECYCLE, 60, delivered(c, 60, -32002))
                .finish().only();

        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.events().get(2)).extracting(AuditEvent::failureCode, AuditEvent::actor)
                .containsExactly("PROVIDER_UNAVAILABLE", "broken");
    }

    @Test
    void givenACompletionAnsweredByAFallback_whenReplayed_thenEveryAttemptIsOnTheTimelineTableAndJson() {
        SamplingContext c = context("r-fallback");
        ProviderAttempt primary = ProviderAttempt.newBuilder().setProvider("claude").setModel("claude-sonnet-4-5")
                .setStartedAt(T0.plusMillis(20)).setLatencyMillis(120).setErrorCode("PROVIDER_UNAVAILABLE")
                .setProviderStatus(529).build();
        ProviderAttempt fallback = ProviderAttempt.newBuilder().setProvider("offline").setModel("offline-echo")
                .setStartedAt(T0.plusMillis(140)).setLatencyMillis(2).build();
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(COMPLETIONS, 150, SamplingCompleted.newBuilder(completed(c, 150, "offline-echo", 1, 8))
                        .setAttempts(2).setProviderAttempts(List.of(primary, fallback)).build())
                .finish().only();

        AuditEvent completion = t.events().get(1);
        assertThat(completion.attempts()).extracting(AttemptView::describe).containsExactly(
                "claude/claude-sonnet-4-5 PROVIDER_UNAVAILABLE (HTTP 529) 120 ms", "offline/offline-echo answered 2 ms");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        new TableWriter(new PrintStream(table, true, StandardCharsets.UTF_8)).accept(t);
        assertThat(table.toString(StandardCharsets.UTF_8))
                .contains("attempt 1: claude/claude-sonnet-4-5 PROVIDER_UNAVAILABLE (HTTP 529) 120 ms\n")
                .contains("attempt 2: offline/offline-echo answered 2 ms\n");
        assertThat(JsonLinesWriter.toJson(t).toString()).contains("\"attempts\":[{\"provider\":\"claude\","
                + "\"model\":\"claude-sonnet-4-5\",\"startedAt\":\"" + T0.plusMillis(20) + "\",\"latencyMs\":120,"
                + "\"errorCode\":\"PROVIDER_UNAVAILABLE\",\"httpStatus\":529},{\"provider\":\"offline\"");
    }

    @Test
    void givenACancelledHeldRequest_whenReplayed_thenTheOutcomeIsCancelled() {
        SamplingContext c = context("r-cancelled");
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.HELD_FOR_REVIEW, DeciderKind.RULE, "hold", null, List.of()))
                .add(LIFECYCLE, 9000, cancelled(c, 9000))
                .finish().only();

        assertThat(t.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(t.terminal().actor()).isEqualTo("server");
        assertThat(t.deliveryLatencyMillis()).isEqualTo(-1);
    }

    @Test
    void givenAnExpiredRequest_whenReplayed_thenTheLaterDeliveryOfTheExpiryJoinsTheSameTimeline() {
        SamplingContext c = context("r-expired");
        Events events = Events.replay()
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.HELD_FOR_REVIEW, DeciderKind.RULE, "hold", null, List.of()))
                .add(LIFECYCLE, 30_000, expired(c, 30_000))
                .add(LIFECYCLE, 30_002, delivered(c, 30_002, -32001));

        Timeline t = events.finish().only();

        assertThat(t.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(t.events()).hasSize(4);
    }

    @Test
    void givenAResponseRejectedByAReviewer_whenReplayed_thenTheOutcomeIsRejectedAndTheReviewerNamed() {
        SamplingContext c = context("r-rejected");
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "Draft a reply"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "check-answers", null, List.of()))
                .add(COMPLETIONS, 20, completed(c, 20, "offline-echo", 2, 7))
                .add(COMMANDS, 4000, command(c, 4000, ReviewStage.RESPONSE, ReviewAction.DENY, "bob"))
                .add(RESULTS, 4010, resolvedError(c, 4010, -32003, "reviewer", verdict("bob", 4010, ReviewAction.DENY, List.of())))
                .add(LIFECYCLE, 4020, delivered(c, 4020, -32003))
                .finish().only();

        assertThat(t.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(t.reviewers()).containsExactly("bob");
        assertThat(t.events().get(4)).extracting(AuditEvent::decision, AuditEvent::errorCode)
                .containsExactly("RESPONSE DENY", -32003);
        assertThat(TableWriter.footer(t)).contains("model offline-echo").contains("reviewers bob").contains("tokens in 2 out 7");
    }

    @Test
    void givenManyRequestsOverTime_whenReplayed_thenFinishedOnesAreEmittedEarlyAndMemoryHoldsOnlyRecentOnes() {
        // Given requests one second apart, each delivered after 100 ms
        Events events = Events.replay();
        for (int i = 0; i < 300; i++) {
            SamplingContext c = context("r-" + i, "h", "s", Events.T0.plusSeconds(i), Events.T0.plusSeconds(i + 30));
            events.add(REQUESTS, i * 1000L, requested(c, "x")).add(LIFECYCLE, i * 1000L + 100, delivered(c, i * 1000L + 100, -1));
        }
        // When the replay reaches the last one, before the end of the partition
        int emittedBeforeEnd = events.timelines.size();
        // Then all but the last settle window (60 s) were emitted already
        assertThat(emittedBeforeEnd).isBetween(235, 240);
        assertThat(events.finish().timelines).hasSize(300);
    }

    @Test
    void givenARequestDeliveredFromItsCompletion_whenReplayed_thenItReadsAsAnOldLayoutOneWithoutTheResolvedLine() {
        // Given the same approved request as above, written the new way: no SamplingResolved, the broker delivers
        // the completion
        SamplingContext c = context("r-approved-new");
        // When
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "What is MCP sampling?"))
                .add(DECISIONS, 20, decided(c, 20, Decision.APPROVED, DeciderKind.DEFAULT_ACTION, "defaultAction", null, List.of()))
                .add(COMPLETIONS, 40, completed(c, 40, "offline-echo", 4, 12))
                .add(LIFECYCLE, 60, delivered(c, 60, null))
                .finish().only();
        // Then outcome, model, tokens and latency are those of the old layout's timeline
        assertThat(t.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(t.events()).extracting(e -> e.type().label(), AuditEvent::decision, AuditEvent::routedToReview)
                .containsExactly(tuple("requested", null, false), tuple("decided", "APPROVED", false),
                        tuple("completed", "endTurn", false), tuple("delivered", "result", false));
        assertThat(t.models()).containsExactly("offline-echo");
        assertThat(t.inputTokens()).isEqualTo(4);
        assertThat(t.outputTokens()).isEqualTo(12);
        assertThat(t.deliveryLatencyMillis()).isEqualTo(60);
        assertThat(TableWriter.details(t.events().get(2))).isEqualTo("endTurn, tokens in 4 out 12, 21 chars, 3 ms");
        assertThat(JsonLinesWriter.toJson(t).toString()).contains("\"outcome\":\"approved\"").doesNotContain("routedToReview");
    }

    @Test
    void givenAFailureDeliveredFromTheCompletionsTopic_whenReplayed_thenTheOutcomeIsFailed() {
        SamplingContext c = context("r-failed-new");
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "hello"))
                .add(DECISIONS, 10, decided(c, 10, Decision.APPROVED, DeciderKind.RULE, "ok", null, List.of()))
                .add(COMPLETIONS, 50, failed(c, 50, "PROVIDER_UNAVAILABLE"))
                .add(LIFECYCLE, 60, delivered(c, 60, -32002))
                .finish().only();

        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.terminal()).extracting(AuditEvent::decision, AuditEvent::errorCode).containsExactly("error", -32002);
        assertThat(t.deliveryLatencyMillis()).isEqualTo(60);
    }

    @Test
    void givenAResponseRoutedToReviewAndEditedByTheReviewer_whenReplayed_thenTheCompletionIsMarkedAndTheOutcomeIsEdited() {
        // Given
        SamplingContext c = context("r-review-edit");
        SamplingContext review = viaReview(c);
        // When
        Timeline t = Events.replay()
                .add(REQUESTS, 0, requested(c, "Draft a reply"))
                .add(DECISIONS, 10, decided(review, 10, Decision.APPROVED, DeciderKind.RULE, "check-answers", null, List.of()))
                .add(COMPLETIONS, 20, completed(review, 20, "offline-echo", 2, 7))
                .add(COMMANDS, 4000, command(c, 4000, ReviewStage.RESPONSE, ReviewAction.EDIT, "bob"))
                .add(RESULTS, 4010, resolvedReviewed(toBroker(c), 4010, "offline-echo",
                        verdict("bob", 4000, ReviewAction.EDIT, List.of("/content/0/text: \"a\" -> \"b\""))))
                .add(LIFECYCLE, 4020, delivered(c, 4020, null))
                .finish().only();
        // Then
        assertThat(t.outcome()).isEqualTo(Outcome.EDITED);
        assertThat(t.reviewers()).containsExactly("bob");
        AuditEvent completion = t.events().get(2);
        assertThat(completion.routedToReview()).isTrue();
        assertThat(t.events()).filteredOn(AuditEvent::routedToReview).containsExactly(completion);
        assertThat(TableWriter.details(completion)).isEqualTo("endTurn, tokens in 2 out 7, 21 chars, 3 ms, routed to review");
        assertThat(JsonLinesWriter.toJson(t).get("events").get(2).get("routedToReview").asBoolean()).isTrue();
    }
}
