package io.samplingbroker.schemas;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.schemas.json.McpJson;

/**
 * The JSON-RPC error a server gets when the model failed: {@link SamplingErrors#SAMPLING_FAILED} with the reason
 * appended to the standard message, and the named failure code in {@code data} so programs need not parse the
 * message. Built where the answer is given (the broker, or the review stage for a response routed to review). A host
 * that was forwarded the request and answered with an error speaks for its user: the server gets that error as is.
 */
public final class FailureAnswer {

    private FailureAnswer() {
    }

    /** The code of the error {@link #of} gives, without building it (for readers of many events: the audit). */
    public static int codeOf(SamplingFailed failed) {
        return failed.getHostError() != null ? failed.getHostError().getCode() : SamplingErrors.SAMPLING_FAILED;
    }

    public static JsonRpcError of(SamplingFailed failed) {
        if (failed.getHostError() != null) {
            return JsonRpcError.newBuilder(failed.getHostError()).build();
        }
        String data = McpJson.write(JsonNodeFactory.instance.objectNode().put("errorCode", failed.getErrorCode()));
        return new JsonRpcError(SamplingErrors.SAMPLING_FAILED,
                SamplingErrors.SAMPLING_FAILED_MESSAGE + ": " + failed.getMessage(), data);
    }
}
