package io.samplingbroker.modelworker.provider.openai;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderFailure;

/**
 * The SDK's exceptions to {@link ProviderFailure}s. Messages name the provider, the HTTP status and the error's
 * {@code type}/{@code code} identifiers, never the provider's free-text message: OpenAI's 401 message quotes part of
 * the key, and other providers echo request content in theirs.
 */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static ProviderFailure classify(Throwable error, String provider, Clock clock) {
        Throwable cause = unwrap(error);
        if (cause instanceof ProviderFailure failure) {
            return failure;
        }
        if (cause instanceof OpenAIServiceException service) {
            return fromStatus(service, provider, clock);
        }
        if (cause instanceof OpenAIIoException) {
            if (isTimeout(cause)) {
                return new ProviderFailure(FailureCode.PROVIDER_TIMEOUT, "Provider '" + provider
                        + "' did not answer in time");
            }
            Throwable io = cause.getCause() != null ? cause.getCause() : cause;
            return new ProviderFailure(FailureCode.PROVIDER_UNAVAILABLE, "Provider '" + provider
                    + "' could not be reached (" + io.getClass().getSimpleName() + ")");
        }
        if (cause instanceof OpenAIInvalidDataException) {
            return new ProviderFailure(FailureCode.PROVIDER_BAD_RESPONSE, "Provider '" + provider
                    + "' answered with a body that is not a valid Chat Completion");
        }
        return new ProviderFailure(FailureCode.INTERNAL_ERROR, "Calling provider '" + provider + "' failed ("
                + cause.getClass().getSimpleName() + ")");
    }

    private static ProviderFailure fromStatus(OpenAIServiceException error, String provider, Clock clock) {
        int status = error.statusCode();
        String detail = status + identifiers(error);
        if (status == 401 || status == 403) {
            return new ProviderFailure(FailureCode.PROVIDER_UNAUTHORIZED, "Provider '" + provider
                    + "' refused the credentials (" + detail + ")", status, null);
        }
        if (status == 429) {
            Duration retryAfter = retryAfter(error.headers(), clock);
            return new ProviderFailure(FailureCode.PROVIDER_RATE_LIMITED, "Provider '" + provider
                    + "' is rate limiting (" + detail + ")", status, retryAfter);
        }
        if (status == 408) {
            return new ProviderFailure(FailureCode.PROVIDER_TIMEOUT, "Provider '" + provider + "' timed out ("
                    + detail + ")", status, null);
        }
        if (status >= 500 || status == 409) {
            return new ProviderFailure(FailureCode.PROVIDER_UNAVAILABLE, "Provider '" + provider + "' failed ("
                    + detail + ")", status, null);
        }
        return new ProviderFailure(FailureCode.PROVIDER_BAD_REQUEST, "Provider '" + provider
                + "' rejected the request (" + detail + ")", status, null);
    }

    /** " invalid_request_error/invalid_api_key", from the error body's type and code, reduced to identifier text. */
    private static String identifiers(OpenAIServiceException error) {
        String type = safe(error.type());
        String code = safe(error.code());
        if (type.isEmpty() && code.isEmpty()) {
            return "";
        }
        return " " + (type.isEmpty() ? code : code.isEmpty() ? type : type + "/" + code);
    }

    private static String safe(Optional<String> identifier) {
        String value = identifier.orElse("").replaceAll("[^A-Za-z0-9_.:-]", "");
        return value.length() > 64 ? value.substring(0, 64) : value;
    }

    /** {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or as an HTTP date; null when absent. */
    static Duration retryAfter(Headers headers, Clock clock) {
        List<String> millis = headers.values("retry-after-ms");
        if (!millis.isEmpty()) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(millis.get(0).trim()))));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        List<String> values = headers.values("retry-after");
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(0).trim();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
