package io.samplingbroker.approvalworker.policy;

/**
 * A limit a rule checks: the rule matches (and its action applies) only once the limit is exceeded. Limits count
 * what is let through (see {@code PolicyEvaluator}).
 */
public sealed interface UsageLimit permits UsageLimit.RateLimit, UsageLimit.TokenBudget {

    LimitScope per();

    /** How many may pass in one window. */
    long allowance();

    /** {@code rateLimit: {per: host, requestsPerMinute: 30}}: requests per calendar minute (UTC). */
    record RateLimit(LimitScope per, long requestsPerMinute) implements UsageLimit {
        @Override
        public long allowance() {
            return requestsPerMinute;
        }
    }

    /** {@code tokenBudget: {per: host, tokensPerDay: 100000}}: the sum of maxTokens per calendar day (UTC). */
    record TokenBudget(LimitScope per, long tokensPerDay) implements UsageLimit {
        @Override
        public long allowance() {
            return tokensPerDay;
        }
    }
}
