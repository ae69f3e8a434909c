package io.samplingbroker.approvalworker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.Decision;
import io.samplingbroker.schemas.testing.Requests;

/**
 * Only requests whose decision reads a limit counter are regrouped through the internal topic; the others are decided
 * where they arrive, which saves two Kafka hops.
 */
class DecisionPathsTest {

    private static final String POLICY = """
            defaultAction: approve
            rules:
              - {id: blocked, when: {host: blocked-host}, action: deny}
              - {id: busy, when: {host: busy-host}, rateLimit: {per: host, requestsPerMinute: 1}, action: deny}
            """;

    @Test
    void givenAPolicyWithALimitForOneHost_whenOtherHostsAsk_thenTheirRequestsAreDecidedWithoutRegrouping() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            Decision approved = harness.decide(Requests.request("req-1").host("quiet-host").build()).getDecision();
            Decision denied = harness.decide(Requests.request("req-2").host("blocked-host").build()).getDecision();
            // Then
            assertThat(approved).isEqualTo(Decision.APPROVED);
            assertThat(denied).isEqualTo(Decision.DENIED);
            assertThat(harness.regroupedAny()).isFalse();
        }
    }

    @Test
    void givenAPolicyWithALimitForOneHost_whenThatHostAsks_thenItsRequestsAreRegroupedAndTheLimitHolds() {
        try (ApprovalHarness harness = ApprovalHarness.withPolicy(POLICY)) {
            // When
            Decision first = harness.decide(Requests.request("req-1").host("busy-host").build()).getDecision();
            Decision second = harness.decide(Requests.request("req-2").host("busy-host").build()).getDecision();
            // Then
            assertThat(harness.regroupedAny()).isTrue();
            assertThat(first).isEqualTo(Decision.APPROVED);
            assertThat(second).isEqualTo(Decision.DENIED);
        }
    }
}
