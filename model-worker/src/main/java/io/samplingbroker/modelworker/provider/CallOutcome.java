package io.samplingbroker.modelworker.provider;

/** How a provider call ended, after all its attempts. */
public sealed interface CallOutcome {

    /** Attempts made (0 when none was started). */
    int attempts();

    /** The provider answered. */
    record Answered(ProviderAnswer answer, int attempts, long latencyMillis) implements CallOutcome {
    }

    /** The call failed for good. {@code message} is safe to publish. */
    record Failed(FailureCode code, String message, Integer providerStatus, int attempts, long latencyMillis)
            implements CallOutcome {
    }

    /** The call was cancelled (request cancelled, worker stopping): nothing may be written. */
    record Cancelled(int attempts) implements CallOutcome {
    }
}
