package io.samplingbroker.approvalworker.topology;

import static io.samplingbroker.schemas.testing.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.approvalworker.decision.TokenEstimate;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.schemas.testing.Requests;

/**
 * Token budgets reserve at decision time and settle on what was used: a completion's tokens replace the
 * reservation, a failure or a request that ends without an outcome gives it back, a late completion still charges.
 */
class TokenSettlementTest {

    /** Each test request (maxTokens 1000, the same prompt) reserves this much. */
    private static final long RESERVATION = TokenEstimate.reservation(request("x").build().getParams());
    private static final Instant AT = Requests.T0;

    private static ApprovalHarness budgetOf(long tokens) {
        ApprovalHarness harness = ApprovalHarness.withPolicy("""
                defaultAction: {action: approve}
                rules:
                  - id: host-budget
                    tokenBudget: {per: host, tokensPerDay: %d}
                    action: deny
                """.formatted(tokens));
        harness.clock.set(AT);
        return harness;
    }

    @Test
    void givenAFullBudget_whenACompletionReportsFewerTokensThanReserved_thenTheDifferenceCanBeSpentAgain() {
        try (ApprovalHarness harness = budgetOf(2 * RESERVATION + 100)) {
            Requests a = at("a", 0);
            assertThat(decide(harness, a, at("b", 1), at("c", 2))).containsExactly(Decision.APPROVED,
                    Decision.APPROVED, Decision.DENIED);

            harness.sendCompletion(a.completed(12L, 30L), "a");

            // a now counts 42 tokens: one more reservation fits (42 + 2 reservations), a second does not
            assertThat(decide(harness, at("d", 3), at("e", 4))).containsExactly(Decision.APPROVED, Decision.DENIED);
        }
    }

    @Test
    void givenTwoRequestsReservingTogetherMoreThanTheBudget_whenDecidedOneAfterTheOther_thenTheSecondIsDenied() {
        // what concurrency means here: the second is judged on the first's reservation, not on its (unknown) usage
        try (ApprovalHarness harness = budgetOf(RESERVATION + RESERVATION / 2)) {
            assertThat(decide(harness, at("a", 0))).containsExactly(Decision.APPROVED);
            SamplingDecided second = harness.decide(at("b", 1).build());

            assertThat(second.getDecision()).isEqualTo(Decision.DENIED);
            assertThat(second.getReason()).isEqualTo("Token budget of " + (RESERVATION + RESERVATION / 2)
                            + " tokens per day per host exceeded (rule host-budget)");
        }
    }

    @Test
    void givenAFailedRequest_whenItsFailureArrives_thenItsReservationIsGivenBack() {
        try (ApprovalHarness harness = budgetOf(RESERVATION)) {
            Requests a = at("a", 0);
            assertThat(decide(harness, a, at("b", 1))).containsExactly(Decision.APPROVED, Decision.DENIED);

            harness.sendCompletion(a.failed("PROVIDER_UNAVAILABLE"), "a");

            assertThat(decide(harness, at("c", 2))).containsExactly(Decision.APPROVED);
        }
    }

    @Test
    void givenACancelledRequest_whenTheGraceAfterItsEndPasses_thenItsReservationIsGivenBackAndNotBefore() {
        try (ApprovalHarness harness = budgetOf(RESERVATION)) {
            Requests a = at("a", 0);
            assertThat(decide(harness, a)).containsExactly(Decision.APPROVED);
            harness.sendLifecycle(a.cancelled(), "a");

            sweepAfter(harness, Duration.ofSeconds(1)); // seen ended
            sweepAfter(harness, Duration.ofSeconds(2));
            assertThat(decide(harness, at("b", 3))).as("within the grace").containsExactly(Decision.DENIED);
            sweepAfter(harness, SettleUsageProcessor.CONCLUDED_GRACE);

            assertThat(decide(harness, at("c", 9))).containsExactly(Decision.APPROVED);
        }
    }

    @Test
    void givenARequestThatNeverEnds_whenItsDeadlineAndTheGracePass_thenItsReservationIsGivenBack() {
        try (ApprovalHarness harness = budgetOf(RESERVATION)) {
            assertThat(decide(harness, at("a", 0))).containsExactly(Decision.APPROVED);

            Duration past = Duration.ofMinutes(1).plus(SettleUsageProcessor.DEADLINE_GRACE).plusSeconds(1);
            sweepAfter(harness, past);

            assertThat(decide(harness, at("b", past.toSeconds()))).containsExactly(Decision.APPROVED);
        }
    }

    @Test
    void givenACompletionAfterTheReservationWasGivenBack_whenItArrives_thenWhatItUsedIsCharged() {
        try (ApprovalHarness harness = budgetOf(2 * RESERVATION)) {
            Requests a = at("a", 0);
            assertThat(decide(harness, a)).containsExactly(Decision.APPROVED);
            harness.sendLifecycle(a.cancelled(), "a");
            sweepAfter(harness, Duration.ofSeconds(1));
            sweepAfter(harness, SettleUsageProcessor.CONCLUDED_GRACE);

            // the provider answered as the server cancelled: tokens spent are spent
            harness.sendCompletion(a.completed(RESERVATION - 100, 100L), "a");

            assertThat(decide(harness, at("b", 10), at("c", 11))).containsExactly(Decision.APPROVED, Decision.DENIED);
        }
    }

    @Test
    void givenACompletionThatReportsNoUsage_whenItArrives_thenTheReservationStandsForWhatWasSpent() {
        try (ApprovalHarness harness = budgetOf(RESERVATION)) {
            Requests a = at("a", 0);
            assertThat(decide(harness, a)).containsExactly(Decision.APPROVED);

            harness.sendCompletion(a.completed(null, null), "a");
            Duration past = Duration.ofMinutes(1).plus(SettleUsageProcessor.DEADLINE_GRACE).plusSeconds(1);
            sweepAfter(harness, past);

            assertThat(decide(harness, at("b", past.toSeconds()))).containsExactly(Decision.DENIED);
        }
    }

    private static Requests at(String requestId, long secondsAfter) {
        return request(requestId).requestedAt(AT.plusSeconds(secondsAfter));
    }

    /** Decides each request at its own time, in order. */
    private static List<Decision> decide(ApprovalHarness harness, Requests... requests) {
        return Arrays.stream(requests).map(request -> {
            if (harness.clock.instant().isBefore(request.build().getContext().getRequestedAt())) {
                harness.clock.set(request.build().getContext().getRequestedAt());
            }
            return harness.decide(request.build()).getDecision();
        }).toList();
    }

    /** Moves both clocks on, so the sweep runs and sees the later time. */
    private static void sweepAfter(ApprovalHarness harness, Duration duration) {
        harness.clock.advance(duration);
        harness.advanceWallClock(duration);
    }
}
