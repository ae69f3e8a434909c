package io.samplingbroker.approvalworker.decision;

import java.util.Objects;

/**
 * One counter of a limit: what a rule counted, for one host or server, in one window.
 *
 * @param kind requests (rate limits) or tokens (budgets)
 * @param key the rule id and the scope's value ({@code <ruleId>|<hostId>}); rule ids never contain {@code |}
 * @param windowStart epoch milliseconds at which the window (a UTC minute or day) starts
 */
public record UsageBucket(Kind kind, String key, long windowStart) {

    public enum Kind {
        REQUESTS, TOKENS
    }

    public UsageBucket {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }
}
