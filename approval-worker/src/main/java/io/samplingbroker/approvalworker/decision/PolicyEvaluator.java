package io.samplingbroker.approvalworker.decision;

import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.approvalworker.policy.BudgetPeriod;
import io.samplingbroker.approvalworker.policy.Policy;
import io.samplingbroker.approvalworker.policy.RequestFacts;
import io.samplingbroker.approvalworker.policy.Rule;
import io.samplingbroker.approvalworker.policy.RuleAction;
import io.samplingbroker.approvalworker.policy.UsageLimit;
import io.samplingbroker.events.Decider;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.serviceruntime.spend.ModelPrice;
import io.samplingbroker.serviceruntime.spend.PriceCatalogue;

/**
 * Applies a policy to a request: rules in order, the first that matches decides, else the default action.
 *
 * <p>The verdict is a pure function of the request and the ledger: no clock, no randomness. Windows are the UTC
 * minute or day of the request's {@code requestedAt} (set once by the broker), so a request processed again after a
 * crash falls into the same windows and, with the same counters, gets the same decision.
 *
 * <p>A {@code forward} action forwards the request to the host only when the host can take it: it declared
 * {@code sampling} itself, {@code sampling.tools} if the request has tools or a tool choice, and
 * {@code sampling.context} if it asks for context. Otherwise the request is approved for a model-worker, and the
 * decision's reason says why: "the broker answers" stays the default.
 *
 * <p>Limits count what is let through: a request that ends approved, amended or forwarded adds 1 to every rate limit and
 * reserves what its effective params may spend ({@link TokenEstimate#reservation}) in every token budget that it was
 * checked against (rules before the deciding one whose conditions held, and the deciding one); its completion later
 * replaces the reservation with the tokens the provider reported. A denied request counts for nothing, so a host
 * that is over its limit gets its allowance back in the next window however often it retries.
 */
public final class PolicyEvaluator {

    static final long MINUTE_MS = 60_000L;
    static final String DEFAULT_DECIDER = "defaultAction";

    private final Policy policy;
    private final PriceCatalogue prices;

    /**
     * @param prices what cost budgets price requests with
     * @throws IllegalArgumentException when the policy has a cost budget and there are no prices
     */
    public PolicyEvaluator(Policy policy, PriceCatalogue prices) {
        if (policy.hasCostBudgets() && prices.isEmpty()) {
            throw new IllegalArgumentException(policy.source() + " has a costBudget but no price catalogue is "
                    + "configured (prices.file / SAMPLING_PRICES_FILE)");
        }
        this.policy = policy;
        this.prices = prices;
    }

    /**
     * Whether deciding this request reads a limit counter: true when a rule with a limit has conditions that hold
     * before any rule without a limit decides. The other requests are decided where they arrive, without the
     * regrouping that limits need (two Kafka hops fewer); a pure function of the request and the policy, so a request
     * processed again takes the same path.
     */
    public boolean needsCounters(SamplingRequested request) {
        RequestFacts facts = new RequestFacts(request);
        for (Rule rule : policy.rules()) {
            if (rule.when().matches(facts)) {
                return rule.limit() != null;
            }
        }
        return false;
    }

    public Verdict decide(SamplingRequested request, UsageLedger ledger) {
        RequestFacts facts = new RequestFacts(request);
        List<UsageBucket> checked = new ArrayList<>();
        for (Rule rule : policy.rules()) {
            if (!rule.when().matches(facts)) {
                continue;
            }
            if (rule.limit() != null) {
                UsageBucket bucket = bucket(rule, request.getContext());
                checked.add(bucket);
                if (!exceeded(rule.limit(), ledger.used(bucket), reservation(bucket.kind(), request.getParams(), null))) {
                    continue;
                }
            }
            return verdict(rule.action(), new Decider(DeciderKind.RULE, rule.id()), defaultReason(rule), request,
                    checked);
        }
        return verdict(policy.defaultAction(), new Decider(DeciderKind.DEFAULT_ACTION, DEFAULT_DECIDER),
                "Denied by the default policy action", request, checked);
    }

    /**
     * A rate limit is exceeded by the request that would be one too many; a budget by the request whose reservation
     * would overdraw it.
     */
    private static boolean exceeded(UsageLimit limit, long used, long reservation) {
        // not used + reservation, which wraps to a negative sum for a reservation near Long.MAX_VALUE (a maxTokens
        // that large): counters are never negative, so the difference cannot wrap
        return reservation > limit.allowance() - used;
    }

    /**
     * What a request adds to a counter when let through: one request, the tokens it may spend, or what they may cost
     * (at the forced model's price when it is priced, else at the highest price of the catalogue: the model-worker
     * chooses the model after the decision).
     */
    private long reservation(UsageBucket.Kind kind, CreateMessageParams params, String forcedModel) {
        if (kind.tokens()) {
            return TokenEstimate.reservation(params);
        }
        if (kind.cost()) {
            ModelPrice price = prices.of(forcedModel).orElseGet(prices::highest);
            try {
                return price.costMicros(TokenEstimate.input(params), 0, params.getMaxTokens());
            } catch (ArithmeticException moreThanALong) {
                // a maxTokens near Long.MAX_VALUE (the broker accepts any positive long) costs more micro-units
                // than a long holds: it reserves everything, which no budget has room for
                return Long.MAX_VALUE;
            }
        }
        return 1;
    }

    static UsageBucket bucket(Rule rule, SamplingContext context) {
        long requestedAt = context.getRequestedAt().toEpochMilli();
        String key = rule.id() + "|" + rule.limit().per().valueOf(context);
        if (rule.limit() instanceof UsageLimit.Budget budget) {
            boolean daily = budget.period() == BudgetPeriod.DAY;
            UsageBucket.Kind kind = budget instanceof UsageLimit.TokenBudget
                    ? (daily ? UsageBucket.Kind.TOKENS : UsageBucket.Kind.TOKENS_PER_MONTH)
                    : (daily ? UsageBucket.Kind.COST_PER_DAY : UsageBucket.Kind.COST_PER_MONTH);
            return new UsageBucket(kind, key, budget.period().windowStart(requestedAt, budget.zone()));
        }
        return new UsageBucket(UsageBucket.Kind.REQUESTS, key, requestedAt - Math.floorMod(requestedAt, MINUTE_MS));
    }

    private Verdict verdict(RuleAction action, Decider decider, String denyReason, SamplingRequested request,
            List<UsageBucket> checked) {
        return switch (action.kind()) {
            case DENY -> new Verdict(Decision.DENIED, decider, action.reason() != null ? action.reason() : denyReason,
                    List.of(), null, null, List.of(), false);
            case APPROVE -> new Verdict(Decision.APPROVED, decider, action.reason(), List.of(), request.getParams(),
                    null, charges(checked, request.getParams(), null), action.reviewResponse());
            case FORWARD -> {
                String cannot = HostCapability.whyCannotTake(request);
                Decision decision = cannot == null ? Decision.FORWARDED : Decision.APPROVED;
                String reason = cannot == null ? action.reason()
                        : "Approved for the broker's model: the host " + cannot + " (rule " + decider.getName() + ")";
                yield new Verdict(decision, decider, reason, List.of(), request.getParams(), null,
                        charges(checked, request.getParams(), null), action.reviewResponse());
            }
            // A held request is not charged: limits count what is let through, and a reviewer decides this one.
            case HOLD -> new Verdict(Decision.HELD_FOR_REVIEW, decider,
                    action.reason() != null ? action.reason() : "Held for review by " + decider.getName(), List.of(),
                    request.getParams(), null, List.of(), action.reviewResponse());
            case AMEND -> {
                Amender.Amended amended = Amender.apply(request.getParams(), action.amendment());
                boolean changed = !amended.changes().isEmpty();
                String reason = action.reason() != null || !changed ? action.reason()
                        : "Amended by policy (" + decider.getName() + ")";
                yield new Verdict(changed ? Decision.AMENDED : Decision.APPROVED, decider, reason, amended.changes(),
                        amended.params(), action.amendment().forceModel(),
                        charges(checked, amended.params(), action.amendment().forceModel()), action.reviewResponse());
            }
        };
    }

    /** A budget reserves what the effective (amended) request may spend; its completion settles it. */
    private List<UsageCharge> charges(List<UsageBucket> checked, CreateMessageParams effective, String forcedModel) {
        return checked.stream()
                .map(bucket -> new UsageCharge(bucket, reservation(bucket.kind(), effective, forcedModel)))
                .toList();
    }

    private String defaultReason(Rule rule) {
        if (rule.limit() instanceof UsageLimit.RateLimit rate) {
            return "Rate limit of " + rate.requestsPerMinute() + " requests per minute per " + rate.per().fileName()
                    + " exceeded (rule " + rule.id() + ")";
        }
        if (rule.limit() instanceof UsageLimit.TokenBudget budget) {
            return "Token budget of " + budget.tokens() + " tokens per " + budget.period().label() + " per "
                    + budget.per().fileName() + " exceeded (rule " + rule.id() + ")";
        }
        if (rule.limit() instanceof UsageLimit.CostBudget budget) {
            return "Cost budget of " + prices.format(budget.micros()) + " per " + budget.period().label() + " per "
                    + budget.per().fileName() + " exceeded (rule " + rule.id() + ")";
        }
        return "Denied by policy rule " + rule.id();
    }
}
