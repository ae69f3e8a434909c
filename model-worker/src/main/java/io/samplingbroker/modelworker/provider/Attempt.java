package io.samplingbroker.modelworker.provider;

import java.time.Instant;

/**
 * One call made to a provider for a request.
 *
 * @param provider the provider called
 * @param model the catalogue model it was called for
 * @param startedAt when the attempt started (before any wait for a concurrency slot)
 * @param latencyMillis until its answer or failure
 * @param code null when it answered, else why it failed
 * @param httpStatus the HTTP status the provider answered, or null
 */
public record Attempt(String provider, String model, Instant startedAt, long latencyMillis, FailureCode code,
        Integer httpStatus) {

    public boolean answered() {
        return code == null;
    }
}
