package io.samplingbroker.modelworker.provider;

/**
 * The named reasons a request ends in {@code SamplingFailed} at the model-worker ({@code errorCode}). A code is
 * <em>transient</em> when a later attempt may succeed; that is what {@code SamplingFailed.retryable} reports.
 */
public enum FailureCode {

    /** 401 or 403: the API key is missing, wrong or lacks rights. Never retried. */
    PROVIDER_UNAUTHORIZED(false),
    /** 429 until no retry fits before the deadline. */
    PROVIDER_RATE_LIMITED(true),
    /** 5xx or the endpoint could not be reached. */
    PROVIDER_UNAVAILABLE(true),
    /** The provider's circuit is open after repeated failures: not called (a fallback, if any, is tried). */
    PROVIDER_CIRCUIT_OPEN(true),
    /** No answer in time: an attempt timed out, or the request's deadline came first. */
    PROVIDER_TIMEOUT(true),
    /** The provider answered 2xx with a body that is not a Chat Completion (malformed JSON, no choices, ...). */
    PROVIDER_BAD_RESPONSE(false),
    /** The provider refused the request itself (400, 404 unknown model, 422). Never retried. */
    PROVIDER_BAD_REQUEST(false),
    /** The request holds content the provider's format cannot carry (for example ogg audio). */
    UNSUPPORTED_CONTENT(false),
    /** The policy forced a model the catalogue does not have. */
    NO_MODEL_MATCHES(false),
    /** An approved decision without the params to execute. */
    INVALID_DECISION(false),
    /** A fault inside the worker. */
    INTERNAL_ERROR(false);

    private final boolean transientFailure;

    FailureCode(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
