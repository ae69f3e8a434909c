package io.samplingbroker.modelworker.provider.anthropic;

import java.time.Clock;
import java.util.Map;

import com.anthropic.core.JsonValue;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;

import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.HttpFailures;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.modelworker.provider.RetryAfterHeader;

/**
 * The Anthropic SDK's exceptions to {@link ProviderFailure}s, on the rules every HTTP provider shares
 * ({@link HttpFailures}): 529 {@code overloaded_error} and 5xx unavailable, 429 {@code rate_limit_error} with its
 * {@code retry-after}. Messages carry the status and the error body's {@code error.type}, never its free-text message.
 */
final class AnthropicErrors {

    private AnthropicErrors() {
    }

    static ProviderFailure classify(Throwable error, String provider, Clock clock) {
        Throwable cause = HttpFailures.unwrap(error);
        if (cause instanceof ProviderFailure failure) {
            return failure;
        }
        if (cause instanceof AnthropicServiceException service) {
            int status = service.statusCode();
            String type = errorType(service.body());
            return HttpFailures.ofStatus(provider, status, type.isEmpty() ? Integer.toString(status) : status + " "
                    + type, status == 429 || status >= 500 ? RetryAfterHeader.of(service.headers()
                    .values("retry-after-ms"), service.headers().values("retry-after"), clock) : null);
        }
        if (cause instanceof AnthropicIoException) {
            return HttpFailures.ofTransport(provider, cause);
        }
        if (cause instanceof AnthropicInvalidDataException) {
            return new ProviderFailure(FailureCode.PROVIDER_BAD_RESPONSE, "Provider '" + provider
                    + "' answered with a body that is not a valid Messages response");
        }
        return new ProviderFailure(FailureCode.INTERNAL_ERROR, "Calling provider '" + provider + "' failed ("
                + cause.getClass().getSimpleName() + ")");
    }

    /** {@code error.type} of {@code {"type":"error","error":{"type":"overloaded_error","message":...}}}. */
    private static String errorType(JsonValue body) {
        try {
            Object error = body.convert(Map.class).get("error");
            return error instanceof Map<?, ?> members && members.get("type") instanceof String type
                    ? HttpFailures.identifier(type) : "";
        } catch (RuntimeException notAnObject) {
            return "";
        }
    }
}
