package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.approvalworker.decision.TokenEstimate;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.ProviderAttempt;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.AnsweringModel;
import io.samplingbroker.schemas.testing.Requests;

/**
 * Cost budgets: a request reserves what it may cost at the highest price (the model is chosen after the decision),
 * is judged on that, and settles at the price of the model that answered; month windows and time zones.
 */
class CostBudgetTest {

    private static final String PRICES = """
            currency: USD
            models:
              gpt-4o: {input: 2.50, output: 10.00, cachedInput: 1.25}
              gpt-4o-mini: {input: 0.15, output: 0.60}
            """;
    /** A test request: 10 estimated input tokens and 1,000 maxTokens at gpt-4o's prices, in micro-dollars. */
    private static final long AT_HIGHEST = 10 * 2_500_000L / 1_000_000 + 1_000 * 10;

    private static ApprovalHarness costBudget(String amount, String extra) {
        ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-cost
                    costBudget: {per: host, perDay: %s}
                    action: deny
                %s""".formatted(amount, extra), PRICES);
        harness.clock.set(Requests.T0);
        return harness;
    }

    @Test
    void givenADailyCostBudget_whenTheSecondReservationWouldOverdrawIt_thenItIsDeniedNamingTheBudgetInItsCurrency() {
        try (ApprovalHarness harness = costBudget("0.02", "")) {
            SamplingDecided first = harness.decide(at("a", 0).build());
            SamplingDecided second = harness.decide(at("b", 1).build());

            assertThat(AT_HIGHEST).isEqualTo(10_025);
            assertThat(first.getDecision()).isEqualTo(Decision.APPROVED);
            assertThat(second.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(second.getReason()).isEqualTo("Cost budget of 0.02 USD per day per host exceeded (rule host-cost)");
        }
    }

    @Test
    void givenACostBudget_whenARequestAsksForTheLargestMaxTokensTheBrokerAccepts_thenTheBudgetDeniesIt() {
        // PolicyFuzzTest's finding: its cost at the highest price overflowed a long, and the ArithmeticException
        // failed the decision instead of denying the request
        try (ApprovalHarness harness = costBudget("0.02", "")) {
            SamplingDecided greedy = harness.decide(at("a", 0).maxTokens(Long.MAX_VALUE).build());
            SamplingDecided modest = harness.decide(at("b", 1).build());

            assertThat(greedy.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(greedy.getReason()).isEqualTo("Cost budget of 0.02 USD per day per host exceeded (rule host-cost)");
            assertThat(modest.getDecision()).isEqualTo(Decision.APPROVED);
        }
    }

    @Test
    void givenACompletionByACheaperModel_whenItSettles_thenTheBudgetCountsItsPriceAndTheReservationIsFreed() {
        try (ApprovalHarness harness = costBudget("0.02", "")) {
            Requests a = at("a", 0);
            assertThat(harness.decide(a.build()).getDecision()).isEqualTo(Decision.APPROVED);

            // answered by gpt-4o-mini: 100 in at 0.15 and 200 out at 0.60 per million: 135 micro-dollars
            harness.sendCompletion(answeredBy(a, "gpt-4o-mini", 100, 200), "a");

            assertThat(List.of(harness.decide(at("b", 1).build()).getDecision(),
                    harness.decide(at("c", 2).build()).getDecision()))
                    .as("135 + 10,025 fits 20,000; 135 + 2 × 10,025 does not")
                    .containsExactly(Decision.APPROVED, Decision.DENIED);
        }
    }

    @Test
    void givenAForwardedRequestTheHostAnswered_whenItSettles_thenItCostsNothing() {
        try (ApprovalHarness harness = costBudget("0.02", "")) {
            Requests a = at("a", 0);
            assertThat(harness.decide(a.build()).getDecision()).isEqualTo(Decision.APPROVED);

            harness.sendCompletion(SamplingCompleted.newBuilder(a.completed(null, null))
                    .setProvider(AnsweringModel.HOST_PROVIDER).build(), "a");

            assertThat(List.of(harness.decide(at("b", 1).build()).getDecision(),
                    harness.decide(at("c", 2).build()).getDecision()))
                    .as("the host's answer freed its cost reservation").containsExactly(Decision.APPROVED,
                            Decision.DENIED);
        }
    }

    @Test
    void givenARuleForcingAModel_whenCharged_thenTheReservationIsAtThatModelsPriceWhileTheCheckStaysAtTheHighest() {
        String force = """
                  - id: small-model
                    action: amend
                    amend: {forceModel: gpt-4o-mini}
                """;
        try (ApprovalHarness harness = costBudget("0.011", force)) {
            // each is checked at 10,025 and charged at 10 × 0.15 + 1,000 × 0.60 = 601.5, rounded up to 602
            List<Decision> decisions = List.of(harness.decide(at("a", 0).build()).getDecision(),
                    harness.decide(at("b", 1).build()).getDecision(),
                    harness.decide(at("c", 2).build()).getDecision());

            assertThat(decisions).containsExactly(Decision.AMENDED, Decision.AMENDED, Decision.DENIED);
        }
    }

    @Test
    void givenAMonthlyTokenBudgetInNewYork_whenRequestsStraddleTheUtcMonthEnd_thenTheyShareNovembersAllowance() {
        long reservation = TokenEstimate.reservation(
                request("x").build().getParams());
        for (String zone : List.of("UTC", "America/New_York")) {
            try (ApprovalHarness harness = ApprovalHarness.withPolicy("""
                    defaultAction: {action: approve}
                    rules:
                      - id: monthly
                        tokenBudget: {per: host, tokensPerMonth: %d, zone: %s}
                        action: deny
                    """.formatted(reservation, zone))) {
                Instant lastHour = Instant.parse("2026-11-30T23:30:00Z");
                Instant firstHour = Instant.parse("2026-12-01T00:30:00Z");
                harness.clock.set(lastHour);
                Decision november = harness.decide(request("a").requestedAt(lastHour).build()).getDecision();
                harness.clock.set(firstHour);
                Decision next = harness.decide(request("b").requestedAt(firstHour).build()).getDecision();

                assertThat(november).isEqualTo(Decision.APPROVED);
                // 00:30 UTC on 1 December is 19:30 on 30 November in New York
                assertThat(next).as(zone).isEqualTo(zone.equals("UTC") ? Decision.APPROVED : Decision.DENIED);
            }
        }
    }

    @Test
    void givenACostBudgetAndNoPrices_whenTheTopologyIsBuilt_thenStartUpStopsNamingTheSetting() {
        assertThatThrownBy(() -> ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-cost
                    costBudget: {per: host, perMonth: 10}
                    action: deny
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test-policy.yaml has a costBudget but no price catalogue is configured (prices.file /"
                        + " SAMPLING_PRICES_FILE)");
    }

    private static SamplingCompleted answeredBy(Requests request, String model, long in, long out) {
        SamplingCompleted completed = request.completed(in, out);
        return SamplingCompleted.newBuilder(completed).setProviderAttempts(List.of(ProviderAttempt.newBuilder()
                .setProvider("openai").setModel(model).setStartedAt(completed.getOccurredAt()).setLatencyMillis(800)
                .build())).build();
    }

    private static Requests at(String requestId, long secondsAfter) {
        return request(requestId).requestedAt(Requests.T0.plusSeconds(secondsAfter));
    }
}
