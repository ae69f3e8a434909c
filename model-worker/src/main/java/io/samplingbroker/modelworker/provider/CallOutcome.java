package io.samplingbroker.modelworker.provider;

import java.util.List;

/** How a provider call ended, after all its attempts on the model and its fallbacks. */
public sealed interface CallOutcome {

    /** Every attempt made, in order (empty when none was started). */
    List<Attempt> tried();

    default int attempts() {
        return tried().size();
    }

    /** The provider answered; {@code provider} and {@code model} are the ones that did (a fallback, maybe). */
    record Answered(ProviderAnswer answer, String provider, String model, List<Attempt> tried, long latencyMillis)
            implements CallOutcome {

        public Answered {
            tried = List.copyOf(tried);
        }
    }

    /** The call failed for good. {@code message} is safe to publish. */
    record Failed(FailureCode code, String message, Integer providerStatus, List<Attempt> tried, long latencyMillis)
            implements CallOutcome {

        public Failed {
            tried = List.copyOf(tried);
        }

        /** A failure found before any provider was called. */
        public static Failed beforeAnyCall(FailureCode code, String message) {
            return new Failed(code, message, null, List.of(), 0);
        }

        /** The provider of the last attempt, or null when none was called. */
        public String provider() {
            return tried.isEmpty() ? null : tried.get(tried.size() - 1).provider();
        }
    }

    /** The call was cancelled (request cancelled, worker stopping): nothing may be written. */
    record Cancelled(List<Attempt> tried) implements CallOutcome {

        public Cancelled {
            tried = List.copyOf(tried);
        }
    }
}
