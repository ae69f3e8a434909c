package io.samplingbroker.approvalworker.decision;

import java.util.List;
import java.util.Objects;

import io.samplingbroker.events.Decider;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.mcp.CreateMessageParams;

/**
 * What the policy decided about one request, before it becomes events.
 *
 * @param decision approved, amended, denied, held for review, or forwarded to the host
 * @param decidedBy the rule, or the default action
 * @param reason why (always set on denial)
 * @param changes one line per amendment, for example {@code maxTokens 4000 -> 1000}
 * @param effectiveParams the params to execute (null when denied)
 * @param forcedModel the model the policy requires, or null
 * @param charges what the request adds to the limit counters (empty when denied or held)
 * @param reviewResponse hold the model's (or the host's) answer for a reviewer before delivery
 */
public record Verdict(Decision decision, Decider decidedBy, String reason, List<String> changes,
        CreateMessageParams effectiveParams, String forcedModel, List<UsageCharge> charges, boolean reviewResponse) {

    public Verdict {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(decidedBy, "decidedBy");
        changes = List.copyOf(changes);
        charges = List.copyOf(charges);
    }

    /** Whether the request goes on to be answered (by a model, or by the host): what limits count. */
    public boolean letsThrough() {
        return decision == Decision.APPROVED || decision == Decision.AMENDED || decision == Decision.FORWARDED;
    }
}
