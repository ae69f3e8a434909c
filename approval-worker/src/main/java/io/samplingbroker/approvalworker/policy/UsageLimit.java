package io.samplingbroker.approvalworker.policy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A limit a rule checks: the rule matches (and its action applies) only once the limit is exceeded. Limits count
 * what is let through (see {@code PolicyEvaluator}); budgets reserve at decision time and settle on what was used.
 */
public sealed interface UsageLimit permits UsageLimit.RateLimit, UsageLimit.Budget {

    LimitScope per();

    /** How much may pass in one window: requests, tokens, or micro-units of the price catalogue's currency. */
    long allowance();

    /** {@code rateLimit: {per: host, requestsPerMinute: 30}}: requests per calendar minute (UTC). */
    record RateLimit(LimitScope per, long requestsPerMinute) implements UsageLimit {
        @Override
        public long allowance() {
            return requestsPerMinute;
        }
    }

    /** A budget over a calendar day or month in a time zone. */
    sealed interface Budget extends UsageLimit permits TokenBudget, CostBudget {

        BudgetPeriod period();

        ZoneId zone();
    }

    /**
     * {@code tokenBudget: {per: host, tokensPerDay: 100000}} (or {@code tokensPerMonth}, and a {@code zone}): input
     * plus output tokens.
     */
    record TokenBudget(LimitScope per, long tokens, BudgetPeriod period, ZoneId zone) implements Budget {

        public TokenBudget {
            Objects.requireNonNull(period, "period");
            zone = zone == null ? ZoneOffset.UTC : zone;
        }

        @Override
        public long allowance() {
            return tokens;
        }
    }

    /**
     * {@code costBudget: {per: tenant, perMonth: 500.00}} (or {@code perDay}, and a {@code zone}): what the tokens
     * cost by the price catalogue, in micro-units of its currency.
     */
    record CostBudget(LimitScope per, long micros, BudgetPeriod period, ZoneId zone) implements Budget {

        public CostBudget {
            Objects.requireNonNull(period, "period");
            zone = zone == null ? ZoneOffset.UTC : zone;
        }

        @Override
        public long allowance() {
            return micros;
        }
    }
}
