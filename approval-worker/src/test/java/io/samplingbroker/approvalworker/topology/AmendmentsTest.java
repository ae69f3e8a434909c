package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.events.mcp.ModelHint;

/** Each amendment changes a copy of the params and says what it changed, one line per change. */
class AmendmentsTest {

    private static String amendPolicy(String amend) {
        return """
                defaultAction: {action: approve}
                rules:
                  - id: amend-rule
                    action: amend
                    amend: %s
                """.formatted(amend);
    }

    @Test
    void givenACapOnMaxTokens_whenARequestAsksForMore_thenItIsAmendedToTheCapAndTheChangeIsListed() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(amendPolicy("{capMaxTokens: 1000}"))) {
            // Given
            SamplingRequested request = request("req-cap").maxTokens(4000).text("hello").build();
            // When
            SamplingDecided decided = harness.decide(request);
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.AMENDED);
            assertThat(decided.getDecidedBy()).isEqualTo(new Decider(DeciderKind.RULE, "amend-rule"));
            assertThat(decided.getChanges()).containsExactly("maxTokens 4000 -> 1000");
            assertThat(decided.getEffectiveParams().getMaxTokens()).isEqualTo(1000);
            assertThat(decided.getEffectiveParams().getMessages()).isEqualTo(request.getParams().getMessages());
            assertThat(harness.resultRecords()).isEmpty();
        }
    }

    @Test
    void givenACapOnMaxTokens_whenARequestAsksForLess_thenItIsApprovedUnchanged() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(amendPolicy("{capMaxTokens: 1000}"))) {
            // When
            SamplingDecided decided = harness.decide(request("req-small").maxTokens(500).build());
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(decided.getChanges()).isEmpty();
            assertThat(decided.getEffectiveParams().getMaxTokens()).isEqualTo(500);
        }
    }

    @Test
    void givenAForcedModel_whenTheServerHintsOthers_thenTheDecisionForcesTheModelAndListsTheChange() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(amendPolicy("{forceModel: offline-echo}"))) {
            // When
            SamplingDecided decided = harness.decide(request("req-model").hints("claude-3-sonnet", "gpt-4o").build());
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.AMENDED);
            assertThat(decided.getForcedModel()).isEqualTo("offline-echo");
            assertThat(decided.getChanges()).containsExactly("model [claude-3-sonnet, gpt-4o] -> offline-echo");
            assertThat(decided.getEffectiveParams().getModelPreferences().getHints())
                    .containsExactly(new ModelHint("offline-echo", null));
            assertThat(decided.getEffectiveParams().getModelPreferences().getCostPriority()).isEqualTo(0.3);
        }
    }

    @Test
    void givenDropIncludeContext_whenTheRequestAsksForAllServers_thenItIsAmendedToNone() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(amendPolicy("{dropIncludeContext: true}"))) {
            // When
            SamplingDecided decided = harness.decide(request("req-ctx").includeContext(IncludeContext.allServers).build());
            SamplingDecided without = harness.decide(request("req-no-ctx").build());
            // Then
            assertThat(decided.getDecision()).isEqualTo(Decision.AMENDED);
            assertThat(decided.getChanges()).containsExactly("includeContext allServers -> none");
            assertThat(decided.getEffectiveParams().getIncludeContext()).isEqualTo(IncludeContext.none);
            assertThat(without.getDecision()).isEqualTo(Decision.APPROVED);
        }
    }

    @Test
    void givenEveryAmendment_whenAllApply_thenEachChangeHasItsLineInOrderAndTheRulesReasonIsKept() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: house-rules
                    when: {maxTokensAbove: 2000}
                    action: amend
                    reason: house rules for long requests
                    amend: {capMaxTokens: 2000, forceModel: small-model, dropIncludeContext: true}
                """)) {
            // When
            SamplingDecided decided = harness.decide(request("req-all").maxTokens(8000)
                    .includeContext(IncludeContext.thisServer).build());
            // Then
            assertThat(decided.getChanges()).containsExactly("maxTokens 8000 -> 2000", "model (no hints) -> small-model",
                    "includeContext thisServer -> none");
            assertThat(decided.getReason()).isEqualTo("house rules for long requests");
            assertThat(decided.getForcedModel()).isEqualTo("small-model");
        }
    }
}
