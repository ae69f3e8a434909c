package io.samplingbroker.approvalworker.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A loaded policy: rules tried in order (the first that matches decides) and the action when none matches.
 *
 * @param source where it was read from, for logs and errors
 * @param rules in file order
 * @param defaultAction applied when no rule matches
 */
public record Policy(String source, List<Rule> rules, RuleAction defaultAction) {

    public Policy {
        Objects.requireNonNull(source, "source");
        rules = List.copyOf(rules);
        Objects.requireNonNull(defaultAction, "defaultAction");
    }

    /** The scopes the policy's limits count per; the topology partitions requests so each counter lives in one place. */
    public Set<LimitScope> limitScopes() {
        Set<LimitScope> scopes = EnumSet.noneOf(LimitScope.class);
        for (Rule rule : rules) {
            if (rule.limit() != null) {
                scopes.add(rule.limit().per());
            }
        }
        return scopes;
    }

    /** Whether a rule has a token or cost budget: then completions settle its reservations. */
    public boolean hasBudgets() {
        return rules.stream().anyMatch(rule -> rule.limit() instanceof UsageLimit.Budget);
    }

    /** Whether a rule has a cost budget: then requests are priced. */
    public boolean hasCostBudgets() {
        return rules.stream().anyMatch(rule -> rule.limit() instanceof UsageLimit.CostBudget);
    }
}
