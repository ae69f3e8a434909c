package io.samplingbroker.approvalworker.policy;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * The policy file exactly as written, bound by Jackson with unknown fields refused. Values that need checking
 * (actions, scopes, regular expressions) stay strings here, so {@link PolicyCompiler} can report them with their line.
 */
record PolicyDocument(ActionSpec defaultAction, List<RuleSpec> rules) {

    /**
     * The default action: {@code approve} (a plain action name), {@code {action: deny, reason: ...}} or an amend.
     */
    record ActionSpec(String action, String reason, AmendSpec amend, Boolean reviewResponse) {

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static ActionSpec named(String action) {
            return new ActionSpec(action, null, null, null);
        }
    }

    record RuleSpec(String id, String description, WhenSpec when, RateLimitSpec rateLimit,
            TokenBudgetSpec tokenBudget, CostBudgetSpec costBudget, String action, String reason, AmendSpec amend,
            Boolean reviewResponse) {
    }

    /** Each list also accepts a single value ({@code host: vscode-*}). */
    record WhenSpec(List<String> tenant, List<String> host, List<String> server, List<String> modelHint, Long maxTokensAbove,
            Long maxTokensAtMost, Long promptCharsAbove, Boolean hasTools, Boolean hasImages,
            List<String> includeContext, List<String> textMatches) {
    }

    record RateLimitSpec(String per, Long requestsPerMinute) {
    }

    record TokenBudgetSpec(String per, Long tokensPerDay, Long tokensPerMonth, String zone) {
    }

    /** Amounts in the price catalogue's currency, for example {@code perMonth: 500.00}. */
    record CostBudgetSpec(String per, BigDecimal perDay, BigDecimal perMonth, String zone) {
    }

    record AmendSpec(Long capMaxTokens, String forceModel, Boolean dropIncludeContext) {
    }
}
