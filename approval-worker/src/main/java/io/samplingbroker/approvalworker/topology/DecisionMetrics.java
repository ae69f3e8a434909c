package io.samplingbroker.approvalworker.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Tags;
import io.samplingbroker.approvalworker.decision.Verdict;
import io.samplingbroker.approvalworker.policy.Policy;
import io.samplingbroker.approvalworker.policy.Rule;
import io.samplingbroker.approvalworker.policy.UsageLimit;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.serviceruntime.metrics.SamplingLabels;
import io.samplingbroker.serviceruntime.metrics.ServiceMetrics;

/**
 * What the approval-worker records of each policy decision (docs/operations.md, "Metrics"): decisions by decision,
 * kind of decider and rule, for whom; refusals by a rule's rate limit, token or cost budget; and the time from the
 * request to its decision (the {@code decision} stage).
 */
public final class DecisionMetrics {

    static final String DECISIONS = "sampling.decisions";
    static final String LIMIT_REFUSALS = "sampling.limit.refusals";

    private final ServiceMetrics metrics;
    private final Map<String, String> limitKinds;

    public DecisionMetrics(ServiceMetrics metrics, Policy policy) {
        this.metrics = metrics;
        this.limitKinds = policy.rules().stream().filter(rule -> rule.limit() != null)
                .collect(Collectors.toMap(Rule::id, rule -> rule.limit() instanceof UsageLimit.RateLimit ? "rate"
                        : rule.limit() instanceof UsageLimit.TokenBudget ? "tokens" : "cost"));
    }

    void decided(SamplingContext context, Verdict verdict, Instant now) {
        Tags who = SamplingLabels.of(context);
        String rule = verdict.decidedBy().getName();
        metrics.counter(DECISIONS, "Policy decisions of sampling requests", who.and("decision",
                lower(verdict.decision().name()), "decided_by", lower(verdict.decidedBy().getKind().name()),
                SamplingLabels.RULE, rule)).increment();
        String limit = limitKinds.get(rule);
        if (limit != null && !verdict.letsThrough()) {
            // a rule with a limit decides only once its limit is exceeded
            metrics.counter(LIMIT_REFUSALS, "Sampling requests denied by a rule's rate limit, token or cost budget",
                    who.and(SamplingLabels.RULE, rule, "limit", limit)).increment();
        }
        Duration waited = Duration.between(context.getRequestedAt(), now);
        metrics.stage("decision", who).record(waited.isNegative() ? Duration.ZERO : waited);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
