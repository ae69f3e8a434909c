package io.samplingbroker.broker.sampling;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.SamplingResultJson;

/** Every reply the server can get for its sampling request, with the codes and messages of {@link SamplingErrors}. */
final class SamplingReplies {

    private SamplingReplies() {
    }

    /** The params break the MCP schema: refused before anything is recorded, so nothing to chain to. */
    static SamplingOutcome.Reply invalidParams(String requestId, String jsonRpcIdJson, InvalidSamplingJsonException fault) {
        return new SamplingOutcome.Reply(requestId, null, JsonRpc.error(jsonRpcIdJson, SamplingErrors.INVALID_PARAMS,
                "Invalid sampling/createMessage params: " + fault.getMessage(), null), SamplingErrors.INVALID_PARAMS);
    }

    /** The request could not be written to Kafka. */
    static SamplingOutcome.Reply notRecorded(PendingRequest request, Throwable failure) {
        return error(request, SamplingErrors.REQUEST_NOT_RECORDED, SamplingErrors.REQUEST_NOT_RECORDED_MESSAGE
                + ": the request could not be recorded (" + failure.getMessage() + ")", null);
    }

    /** The request's deadline passed before any answer. */
    static SamplingOutcome.Reply expired(PendingRequest request) {
        return error(request, SamplingErrors.SAMPLING_EXPIRED, SamplingErrors.SAMPLING_EXPIRED_MESSAGE + " (deadline "
                + request.timeAllowed().toSeconds() + " s)", null);
    }

    /** The answer a worker (or reviewer) resolved the request with: a result or an error. */
    static SamplingOutcome.Reply resolved(PendingRequest request, SamplingResolved result) {
        if (result.getCreateMessageResult() != null) {
            return new SamplingOutcome.Reply(request.requestId(), request.context, JsonRpc.result(
                    request.context.getJsonRpcId(), SamplingResultJson.toJson(result.getCreateMessageResult()).toString()),
                    null, request.chain);
        }
        JsonRpcError error = result.getError();
        if (error != null) {
            return error(request, error.getCode(), error.getMessage(), error.getData());
        }
        return error(request, SamplingErrors.INTERNAL_ERROR, "Sampling result carried neither a result nor an error", null);
    }

    private static SamplingOutcome.Reply error(PendingRequest request, int code, String message, String dataJson) {
        return new SamplingOutcome.Reply(request.requestId(), request.context,
                JsonRpc.error(request.context.getJsonRpcId(), code, message, dataJson), code, request.chain);
    }
}
