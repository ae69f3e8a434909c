package io.samplingbroker.modelworker.provider;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The failures every HTTP provider shares, by status and by transport error, so that each provider's SDK errors
 * land on the same codes and the same retry rules. Messages name the provider, the status and the error's
 * identifiers ({@code detail}), never a provider's free text.
 */
public final class HttpFailures {

    private HttpFailures() {
    }

    /**
     * 401/403 unauthorized; 429 rate limited (with the wait the provider asked); 408 timeout; 409, 5xx (Anthropic's
     * 529 overloaded among them) unavailable; any other status a bad request.
     *
     * @param detail the status and the error's type/code identifiers, e.g. {@code "529 overloaded_error"}
     */
    public static ProviderFailure ofStatus(String provider, int status, String detail, Duration retryAfter) {
        if (status == 401 || status == 403) {
            return new ProviderFailure(FailureCode.PROVIDER_UNAUTHORIZED, "Provider '" + provider
                    + "' refused the credentials (" + detail + ")", status, null);
        }
        if (status == 429) {
            return new ProviderFailure(FailureCode.PROVIDER_RATE_LIMITED, "Provider '" + provider
                    + "' is rate limiting (" + detail + ")", status, retryAfter);
        }
        if (status == 408) {
            return new ProviderFailure(FailureCode.PROVIDER_TIMEOUT, "Provider '" + provider + "' timed out ("
                    + detail + ")", status, null);
        }
        if (status >= 500 || status == 409) {
            return new ProviderFailure(FailureCode.PROVIDER_UNAVAILABLE, "Provider '" + provider + "' failed ("
                    + detail + ")", status, retryAfter);
        }
        return new ProviderFailure(FailureCode.PROVIDER_BAD_REQUEST, "Provider '" + provider
                + "' rejected the request (" + detail + ")", status, null);
    }

    /** No HTTP answer: a timeout, or the endpoint could not be reached. */
    public static ProviderFailure ofTransport(String provider, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new ProviderFailure(FailureCode.PROVIDER_TIMEOUT, "Provider '" + provider
                        + "' did not answer in time");
            }
        }
        Throwable io = error.getCause() != null ? error.getCause() : error;
        return new ProviderFailure(FailureCode.PROVIDER_UNAVAILABLE, "Provider '" + provider
                + "' could not be reached (" + io.getClass().getSimpleName() + ")");
    }

    /** The error inside the future's wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** An identifier from a provider's error body, reduced to identifier characters (at most 64). */
    public static String identifier(String value) {
        String safe = value == null ? "" : value.replaceAll("[^A-Za-z0-9_.:-]", "");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }
}
