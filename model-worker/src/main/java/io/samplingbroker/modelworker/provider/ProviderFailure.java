package io.samplingbroker.modelworker.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * A provider attempt failed. The message is safe to publish: it never holds prompt or completion text, nor the
 * provider's free-text error message (which may echo either, or part of an API key); only status, type and code.
 */
public final class ProviderFailure extends RuntimeException {

    private final FailureCode code;
    private final Integer httpStatus;
    private final Duration retryAfter;

    public ProviderFailure(FailureCode code, String message, Integer httpStatus, Duration retryAfter) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public ProviderFailure(FailureCode code, String message) {
        this(code, message, null, null);
    }

    public FailureCode code() {
        return code;
    }

    /** The HTTP status the provider answered, or null when there was no HTTP answer. */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** How long the provider asked us to wait (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
