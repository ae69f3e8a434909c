package io.samplingbroker.modelworker.provider.openai;

import java.time.Clock;
import java.time.Duration;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.HttpFailures;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.provider.RetryAfterHeader;

/**
 * The SDK's exceptions to {@link ProviderFailure}s. Messages name the provider, the HTTP status and the error's
 * {@code type}/{@code code} identifiers, never the provider's free-text message: OpenAI's 401 message quotes part of
 * the key, and other providers echo request content in theirs.
 */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static ProviderFailure classify(Throwable error, String provider, Clock clock) {
        Throwable cause = HttpFailures.unwrap(error);
        if (cause instanceof ProviderFailure failure) {
            return failure;
        }
        if (cause instanceof OpenAIServiceException service) {
            int status = service.statusCode();
            return HttpFailures.ofStatus(provider, status, status + identifiers(service),
                    status == 429 ? retryAfter(service.headers(), clock) : null);
        }
        if (cause instanceof OpenAIIoException) {
            return HttpFailures.ofTransport(provider, cause);
        }
        if (cause instanceof OpenAIInvalidDataException) {
            return new ProviderFailure(FailureCode.PROVIDER_BAD_RESPONSE, "Provider '" + provider
                    + "' answered with a body that is not a valid Chat Completion");
        }
        return new ProviderFailure(FailureCode.INTERNAL_ERROR, "Calling provider '" + provider + "' failed ("
                + cause.getClass().getSimpleName() + ")");
    }

    /** " invalid_request_error/invalid_api_key", from the error body's type and code, reduced to identifier text. */
    private static String identifiers(OpenAIServiceException error) {
        String type = HttpFailures.identifier(error.type().orElse(""));
        String code = HttpFailures.identifier(error.code().orElse(""));
        if (type.isEmpty() && code.isEmpty()) {
            return "";
        }
        return " " + (type.isEmpty() ? code : code.isEmpty() ? type : type + "/" + code);
    }

    /** {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or as an HTTP date; null when absent. */
    static Duration retryAfter(Headers headers, Clock clock) {
        return RetryAfterHeader.of(headers.values("retry-after-ms"), headers.values("retry-after"), clock);
    }
}
