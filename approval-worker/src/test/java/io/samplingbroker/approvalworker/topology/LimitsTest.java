package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.samplingbroker.approvalworker.decision.TokenEstimate;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.testing.Requests;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/** Rate limits and token budgets: they trip when exceeded, reset with their window, and count what is let through. */
class LimitsTest {

    /** The start of a UTC minute, so that test requests stay inside one window. */
    private static final Instant MINUTE = Instant.parse("2026-11-24T10:15:00Z");

    @Test
    void givenARateLimitOfThreePerMinutePerHost_whenAFourthRequestArrivesInTheMinute_thenItIsDeniedAndTheNextMinuteResets() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-rate
                    rateLimit: {per: host, requestsPerMinute: 3}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            // Given three requests in the minute
            for (int i = 1; i <= 3; i++) {
                assertThat(harness.decide(at(request("req-" + i), MINUTE.plusSeconds(10 * i))).getDecision())
                        .as("request %d", i).isEqualTo(Decision.APPROVED);
            }
            // When a fourth arrives in the same minute, from the same host and from another host
            SamplingDecided fourth = harness.decide(at(request("req-4"), MINUTE.plusSeconds(59)));
            SamplingDecided otherHost = harness.decide(at(request("req-other").host("cursor-1"), MINUTE.plusSeconds(59)));
            // Then
            assertThat(fourth.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(fourth.getDecidedBy()).isEqualTo(new Decider(DeciderKind.RULE, "host-rate"));
            assertThat(fourth.getReason()).isEqualTo("Rate limit of 3 requests per minute per host exceeded (rule host-rate)");
            assertThat(otherHost.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(harness.resultRecords()).hasSize(1);

            // And in the next minute the host may sample again
            harness.clock.set(MINUTE.plusSeconds(61));
            assertThat(harness.decide(at(request("req-5"), MINUTE.plusSeconds(61))).getDecision())
                    .isEqualTo(Decision.APPROVED);
            MeterRegistry recorded = harness.metrics.registry();
            assertThat(recorded.get(DecisionMetrics.LIMIT_REFUSALS).tags("rule", "host-rate", "limit", "rate")
                    .counter().count()).isEqualTo(1.0);
            assertThat(recorded.get(DecisionMetrics.DECISIONS).tags("decision", "denied", "decided_by", "rule",
                    "rule", "host-rate").counter().count()).isEqualTo(1.0);
            assertThat(recorded.get(DecisionMetrics.DECISIONS).tags("decision", "approved", "decided_by",
                    "default_action").counters().stream().mapToDouble(Counter::count).sum()).isEqualTo(5.0);
            assertThat(recorded.get(ServiceMetrics.STAGE_DURATION).tag("stage", "decision").timers().stream()
                    .mapToLong(Timer::count).sum()).as("every decision timed").isEqualTo(6);
        }
    }

    @Test
    void givenARateLimitPerServer_whenDifferentHostsUseTheSameServer_thenTheyShareTheAllowance() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: server-rate
                    rateLimit: {per: server, requestsPerMinute: 2}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            // When
            List<Decision> decisions = List.of(
                    harness.decide(at(request("a").host("h1"), MINUTE.plusSeconds(1))).getDecision(),
                    harness.decide(at(request("b").host("h2"), MINUTE.plusSeconds(2))).getDecision(),
                    harness.decide(at(request("c").host("h3"), MINUTE.plusSeconds(3))).getDecision(),
                    harness.decide(at(request("d").host("h3").server("github"), MINUTE.plusSeconds(4))).getDecision());
            // Then
            assertThat(decisions).containsExactly(Decision.APPROVED, Decision.APPROVED, Decision.DENIED, Decision.APPROVED);
        }
    }

    @Test
    void givenABudgetPerHost_whenTwoTenantsEachHaveAHostOfTheSameName_thenOneTenantCannotSpendTheOthers() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-rate
                    rateLimit: {per: host, requestsPerMinute: 2}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            // When tenant acme's "ci" uses its allowance and more
            List<Decision> acme = List.of(
                    harness.decide(at(request("a1").tenant("acme").host("ci"), MINUTE.plusSeconds(1))).getDecision(),
                    harness.decide(at(request("a2").tenant("acme").host("ci"), MINUTE.plusSeconds(2))).getDecision(),
                    harness.decide(at(request("a3").tenant("acme").host("ci"), MINUTE.plusSeconds(3))).getDecision());
            // Then globex's "ci" still has its own
            Decision globex = harness.decide(at(request("g1").tenant("globex").host("ci"), MINUTE.plusSeconds(4)))
                    .getDecision();
            assertThat(acme).containsExactly(Decision.APPROVED, Decision.APPROVED, Decision.DENIED);
            assertThat(globex).isEqualTo(Decision.APPROVED);
        }
    }

    @Test
    void givenARateLimitPerTenant_whenItsHostsTogetherExceedIt_thenTheNextIsDeniedWhileAnotherTenantIsNot() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: tenant-rate
                    rateLimit: {per: tenant, requestsPerMinute: 2}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            // When
            List<Decision> decisions = List.of(
                    harness.decide(at(request("a").tenant("acme").host("h1"), MINUTE.plusSeconds(1))).getDecision(),
                    harness.decide(at(request("b").tenant("acme").host("h2"), MINUTE.plusSeconds(2))).getDecision(),
                    harness.decide(at(request("c").tenant("acme").host("h3"), MINUTE.plusSeconds(3))).getDecision(),
                    harness.decide(at(request("d").tenant("globex").host("h1"), MINUTE.plusSeconds(4))).getDecision());
            SamplingDecided denied = harness.decide(at(request("e").tenant("acme").host("h4"), MINUTE.plusSeconds(5)));
            // Then
            assertThat(decisions).containsExactly(Decision.APPROVED, Decision.APPROVED, Decision.DENIED,
                    Decision.APPROVED);
            assertThat(denied.getReason()).isEqualTo(
                    "Rate limit of 2 requests per minute per tenant exceeded (rule tenant-rate)");
        }
    }

    @Test
    void givenALimitBeforeAContentRule_whenARequestIsDeniedByTheContentRule_thenItDoesNotUseTheAllowance() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-rate
                    rateLimit: {per: host, requestsPerMinute: 1}
                    action: deny
                  - id: no-secrets
                    when: {textMatches: secret}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            // When
            SamplingDecided secret = harness.decide(at(request("req-secret").text("a secret"), MINUTE.plusSeconds(1)));
            SamplingDecided clean = harness.decide(at(request("req-clean"), MINUTE.plusSeconds(2)));
            SamplingDecided again = harness.decide(at(request("req-again"), MINUTE.plusSeconds(3)));
            // Then
            assertThat(secret.getDecidedBy().getName()).isEqualTo("no-secrets");
            assertThat(clean.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(again.getDecidedBy().getName()).isEqualTo("host-rate");
        }
    }

    @Test
    void givenATokenBudgetPerHost_whenRequestsWouldOverdrawIt_thenTheyAreDeniedUntilTheNextDay() {
        // each request reserves its maxTokens plus the estimate of its prompt, the same for all of them
        long prompt = TokenEstimate.input(request("x").build().getParams());
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: daily-budget
                    tokenBudget: {per: host, tokensPerDay: %d}
                    action: deny
                """.formatted(10000 + 3 * prompt))) {
            Instant day = Instant.parse("2026-11-24T00:00:00Z");
            harness.clock.set(day.plusSeconds(3600));
            // When
            List<Decision> decisions = List.of(
                    harness.decide(at(request("a").maxTokens(4000), day.plusSeconds(3600))).getDecision(),
                    harness.decide(at(request("b").maxTokens(4000), day.plusSeconds(3601))).getDecision(),
                    harness.decide(at(request("c").maxTokens(4000), day.plusSeconds(3602))).getDecision(),
                    harness.decide(at(request("d").maxTokens(2000), day.plusSeconds(3603))).getDecision(),
                    harness.decide(at(request("e").maxTokens(1), day.plusSeconds(3604))).getDecision());
            harness.clock.set(day.plus(Duration.ofDays(1)).plusSeconds(5));
            Decision nextDay = harness.decide(at(request("f").maxTokens(4000), day.plus(Duration.ofDays(1)).plusSeconds(5)))
                    .getDecision();
            // Then: 4000 + 4000 fit, 4000 more would not, 2000 fills the budget exactly, then nothing until tomorrow
            assertThat(decisions).containsExactly(Decision.APPROVED, Decision.APPROVED, Decision.DENIED,
                    Decision.APPROVED, Decision.DENIED);
            assertThat(nextDay).isEqualTo(Decision.APPROVED);
        }
    }

    @Test
    void givenATokenBudget_whenARequestAsksForTheLargestMaxTokensTheBrokerAccepts_thenTheBudgetDeniesIt() {
        // PolicyFuzzTest's finding: maxTokens + the prompt's estimate wrapped to a negative reservation, which fit
        // every budget and was charged as a negative amount
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: daily-budget
                    tokenBudget: {per: host, tokensPerDay: 10000}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            // When
            SamplingDecided greedy = harness.decide(at(request("a").maxTokens(Long.MAX_VALUE), MINUTE.plusSeconds(1)));
            SamplingDecided modest = harness.decide(at(request("b").maxTokens(4000), MINUTE.plusSeconds(2)));
            // Then
            assertThat(greedy.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(greedy.getReason()).isEqualTo("Token budget of 10000 tokens per day per host exceeded (rule "
                    + "daily-budget)");
            assertThat(modest.getDecision()).isEqualTo(Decision.APPROVED);
        }
    }

    @Test
    void givenABudgetThenACap_whenRequestsAreAmended_thenTheBudgetIsChargedTheCappedTokens() {
        long prompt = TokenEstimate.input(request("x").build().getParams());
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: budget
                    tokenBudget: {per: host, tokensPerDay: %d}
                    action: deny
                  - id: cap
                    action: amend
                    amend: {capMaxTokens: 1000}
                """.formatted(2500 + 2 * prompt))) {
            harness.clock.set(MINUTE);
            // When: each asks for 1500 and is capped to 1000
            List<Decision> decisions = List.of(
                    harness.decide(at(request("a").maxTokens(1500), MINUTE.plusSeconds(1))).getDecision(),
                    harness.decide(at(request("b").maxTokens(1500), MINUTE.plusSeconds(2))).getDecision(),
                    harness.decide(at(request("c").maxTokens(1500), MINUTE.plusSeconds(3))).getDecision());
            // Then (each plus the prompt's estimate): 0 + 1500 and 1000 + 1500 fit the budget; 2000 + 1500 does not
            assertThat(decisions).containsExactly(Decision.AMENDED, Decision.AMENDED, Decision.DENIED);
        }
    }

    @Test
    void givenARequestDecidedTwice_whenItIsProcessedAgainAfterACrash_thenTheDecisionIsTheSameAndItCountsOnce() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-rate
                    rateLimit: {per: host, requestsPerMinute: 2}
                    action: deny
                """)) {
            harness.clock.set(MINUTE);
            SamplingRequested first = at(request("req-1"), MINUTE.plusSeconds(1));
            SamplingRequested second = at(request("req-2"), MINUTE.plusSeconds(2));
            // Given both requests decided once
            harness.send(first);
            harness.send(second);
            // When both are processed again (at least once: replay from the last committed offset)
            harness.send(first);
            harness.send(second);
            List<SamplingDecided> decided = harness.decisionRecords().stream().map(record -> record.value()).toList();
            SamplingDecided third = harness.decide(at(request("req-3"), MINUTE.plusSeconds(3)));
            // Then the replays are approved again, as the first time, and only two requests used the allowance
            assertThat(decided).extracting(d -> d.getContext().getRequestId() + " " + d.getDecision())
                    .containsExactly("req-1 APPROVED", "req-2 APPROVED", "req-1 APPROVED", "req-2 APPROVED");
            assertThat(third.getDecision()).isEqualTo(Decision.DENIED);
        }
    }

    private static SamplingRequested at(Requests request, Instant requestedAt) {
        return request.requestedAt(requestedAt).build();
    }
}
