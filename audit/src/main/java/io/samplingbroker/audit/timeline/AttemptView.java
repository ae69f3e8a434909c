package io.samplingbroker.audit.timeline;

import java.time.Instant;

import io.samplingbroker.events.ProviderAttempt;

/**
 * One provider attempt of a completion or failure, as the timeline shows it.
 *
 * @param errorCode null when the attempt answered
 * @param httpStatus null when there was no HTTP answer
 */
public record AttemptView(String provider, String model, Instant startedAt, long latencyMillis, String errorCode,
        Integer httpStatus) {

    static AttemptView of(ProviderAttempt attempt) {
        return new AttemptView(attempt.getProvider(), attempt.getModel(), attempt.getStartedAt(),
                attempt.getLatencyMillis(), attempt.getErrorCode(), attempt.getProviderStatus());
    }

    /** For the table: {@code claude/claude-sonnet-4-5 PROVIDER_UNAVAILABLE (HTTP 503) 120 ms}. */
    public String describe() {
        String result = errorCode == null ? "answered" : errorCode + (httpStatus == null ? "" : " (HTTP " + httpStatus
                + ")");
        return provider + "/" + model + " " + result + " " + latencyMillis + " ms";
    }
}
