package io.samplingbroker.modelworker.provider;

import java.time.Duration;

/**
 * What to do after a failed attempt.
 *
 * @param retry whether to try again
 * @param delay how long to wait first (when retrying)
 * @param reason why the call ends (when not retrying), safe to publish
 */
public record RetryDecision(boolean retry, Duration delay, String reason) {

    public static RetryDecision retryAfter(Duration delay) {
        return new RetryDecision(true, delay, null);
    }

    public static RetryDecision giveUp(String reason) {
        return new RetryDecision(false, Duration.ZERO, reason);
    }
}
