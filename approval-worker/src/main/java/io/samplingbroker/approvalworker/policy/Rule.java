package io.samplingbroker.approvalworker.policy;

import java.util.Objects;

/**
 * One policy rule: it matches a request when all its conditions hold and, if it has a limit, the limit is exceeded.
 *
 * @param id unique in the policy; names the rule in decisions ({@code decidedBy}) and in limit counters
 * @param when the conditions on the request
 * @param limit a rate limit or token budget, or null
 * @param action what happens when the rule matches
 */
public record Rule(String id, Conditions when, UsageLimit limit, RuleAction action) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(action, "action");
    }
}
