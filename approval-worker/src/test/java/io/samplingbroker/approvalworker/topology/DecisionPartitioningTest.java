package io.samplingbroker.approvalworker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.approvalworker.policy.PolicyLoader;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.schemas.testing.Requests;

/** Requests are grouped so that every limit counter sees all the requests it counts. */
class DecisionPartitioningTest {

    private static DecisionPartitioning forRules(String rules) {
        return DecisionPartitioning.forPolicy(PolicyLoader.parse("defaultAction: approve\nrules:\n" + rules, "p.yaml"));
    }

    @Test
    void givenPoliciesWithDifferentLimits_whenPartitioned_thenRequestsAreKeyedByWhatTheLimitsCountPer() {
        // Given
        SamplingContext context = Requests.request("req-1").host("h").server("s").context();
        // When
        DecisionPartitioning none = forRules("  - {id: a, when: {host: x}, action: deny}\n");
        DecisionPartitioning host = forRules("  - {id: a, rateLimit: {per: host, requestsPerMinute: 1}, action: deny}\n");
        DecisionPartitioning server = forRules("  - {id: a, tokenBudget: {per: server, tokensPerDay: 1}, action: deny}\n");
        DecisionPartitioning both = forRules("  - {id: a, rateLimit: {per: host, requestsPerMinute: 1}, action: deny}\n"
                + "  - {id: b, tokenBudget: {per: server, tokensPerDay: 1}, action: deny}\n");
        // Then
        assertThat(none.keyOf(context)).isEqualTo("req-1");
        assertThat(host.keyOf(context)).isEqualTo("h");
        assertThat(server.keyOf(context)).isEqualTo("s");
        assertThat(both.keyOf(context)).isEqualTo(DecisionPartitioning.SINGLE_KEY);
    }

    @Test
    void givenHostsOfTenants_whenPartitioned_thenEveryCountStaysWithinItsTenant() {
        // Given
        SamplingContext acme = Requests.request("req-1").tenant("acme").host("h").server("s").context();
        SamplingContext globex = Requests.request("req-2").tenant("globex").host("h").server("s").context();
        // When
        DecisionPartitioning host = forRules("  - {id: a, rateLimit: {per: host, requestsPerMinute: 1}, action: deny}\n");
        DecisionPartitioning tenantAndHost = forRules(
                "  - {id: a, rateLimit: {per: host, requestsPerMinute: 1}, action: deny}\n"
                + "  - {id: b, tokenBudget: {per: tenant, tokensPerDay: 1}, action: deny}\n");
        // Then
        assertThat(host.keyOf(acme)).as("the same host name in two tenants is two hosts")
                .isNotEqualTo(host.keyOf(globex)).startsWith("acme").endsWith("h");
        assertThat(tenantAndHost).isEqualTo(DecisionPartitioning.BY_TENANT);
        assertThat(tenantAndHost.keyOf(acme)).isEqualTo("acme");
        assertThat(tenantAndHost.keyOf(globex)).isEqualTo("globex");
    }
}
