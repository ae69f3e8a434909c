package io.samplingbroker.approvalworker.decision;

import java.util.Objects;

/**
 * One counter of a limit: what a rule counted, for one host or server, in one window.
 *
 * @param kind what is counted and over which window
 * @param key the rule id and the scope's value ({@code <ruleId>|<hostId>}); rule ids never contain {@code |}
 * @param windowStart epoch milliseconds at which the window (a UTC minute, or a day or month in the budget's zone)
 *     starts
 */
public record UsageBucket(Kind kind, String key, long windowStart) {

    /** Stored by ordinal in the charges store: new kinds go at the end. */
    public enum Kind {
        /** Requests per minute (rate limits). */
        REQUESTS,
        /** Tokens per day (token budgets). */
        TOKENS,
        /** Tokens per month. */
        TOKENS_PER_MONTH,
        /** Cost per day, in micro-units (cost budgets). */
        COST_PER_DAY,
        /** Cost per month. */
        COST_PER_MONTH;

        public boolean tokens() {
            return this == TOKENS || this == TOKENS_PER_MONTH;
        }

        public boolean cost() {
            return this == COST_PER_DAY || this == COST_PER_MONTH;
        }
    }

    public UsageBucket {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }
}
