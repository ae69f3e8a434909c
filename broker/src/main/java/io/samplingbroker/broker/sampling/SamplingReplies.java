package io.samplingbroker.broker.sampling;

import org.apache.avro.specific.SpecificRecord;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.SamplingResolved;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.schemas.FailureAnswer;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.SamplingResultJson;
import io.vertx.core.json.JsonObject;

/** Every reply the server can get for its sampling request, with the codes and messages of {@link SamplingErrors}. */
final class SamplingReplies {

    private SamplingReplies() {
    }

    /**
     * The params break the MCP schema: refused before the pipeline (the refusal is recorded in its place); the error's
     * {@code data.pointer} names the member at fault.
     */
    static SamplingOutcome.Reply invalidParams(PendingRequest request, InvalidSamplingJsonException fault) {
        return error(request, SamplingErrors.INVALID_PARAMS, "Invalid sampling/createMessage params: "
                + fault.getMessage(), new JsonObject().put("pointer", fault.pointer()).encode());
    }

    /** Larger than the broker records: refused before the pipeline, naming the limit. */
    static SamplingOutcome.Reply tooLarge(PendingRequest request, int size, int limit) {
        return error(request, SamplingErrors.INVALID_PARAMS, "Sampling request too large: " + size
                + " bytes; this broker records at most " + limit + " (broker.sampling.max.request.bytes)",
                "{\"size\":" + size + ",\"limit\":" + limit + "}");
    }

    /** Too many of the session's or host's requests wait already: refused before the pipeline. */
    static SamplingOutcome.Reply limitReached(PendingRequest request, String why) {
        return error(request, SamplingErrors.LIMIT_REACHED, why, null);
    }

    /** The request could not be written to Kafka. */
    static SamplingOutcome.Reply notRecorded(PendingRequest request, Throwable failure) {
        return error(request, SamplingErrors.REQUEST_NOT_RECORDED, SamplingErrors.REQUEST_NOT_RECORDED_MESSAGE
                + ": the request could not be recorded (" + failure.getMessage() + ")", null);
    }

    /** The broker instance is stopping and takes no new request; the server's other sessions (or a retry) may. */
    static SamplingOutcome.Reply stopping(PendingRequest request) {
        return error(request, SamplingErrors.REQUEST_NOT_RECORDED, SamplingErrors.REQUEST_NOT_RECORDED_MESSAGE
                + ": this broker instance is stopping", null);
    }

    /** The pipeline behind this instance is further behind than the shed delay: a new request would only queue. */
    static SamplingOutcome.Reply overloaded(PendingRequest request, long behindMillis, long limitMillis) {
        return error(request, SamplingErrors.REQUEST_NOT_RECORDED, SamplingErrors.REQUEST_NOT_RECORDED_MESSAGE
                + ": overloaded, answers wait " + behindMillis + " ms in the pipeline, more than the " + limitMillis
                + " ms of broker.sampling.shed.delay.ms; retry later", null);
    }

    /** The request's deadline passed before any answer. */
    static SamplingOutcome.Reply expired(PendingRequest request) {
        return error(request, SamplingErrors.SAMPLING_EXPIRED, SamplingErrors.SAMPLING_EXPIRED_MESSAGE + " (deadline "
                + request.timeAllowed().toSeconds() + " s)", null);
    }

    /** The reply for an answer: the model's completion or failure, or a result the approval-worker wrote. */
    static SamplingOutcome.Reply answer(PendingRequest request, SpecificRecord answer) {
        if (answer instanceof SamplingCompleted completed) {
            return result(request, completed.getCreateMessageResult());
        } else if (answer instanceof SamplingFailed failed) {
            JsonRpcError error = FailureAnswer.of(failed);
            return error(request, error.getCode(), error.getMessage(), error.getData());
        } else if (answer instanceof SamplingResolved resolved) {
            return resolved(request, resolved);
        }
        return error(request, SamplingErrors.INTERNAL_ERROR, "Sampling answer of an unknown type: "
                + answer.getSchema().getFullName(), null);
    }

    /** A denial, or a reviewed response: a result or an error. */
    private static SamplingOutcome.Reply resolved(PendingRequest request, SamplingResolved result) {
        if (result.getCreateMessageResult() != null) {
            return result(request, result.getCreateMessageResult());
        }
        JsonRpcError error = result.getError();
        if (error != null) {
            return error(request, error.getCode(), error.getMessage(), error.getData());
        }
        return error(request, SamplingErrors.INTERNAL_ERROR, "Sampling result carried neither a result nor an error", null);
    }

    private static SamplingOutcome.Reply result(PendingRequest request, CreateMessageResult result) {
        return new SamplingOutcome.Reply(request.requestId(), request.context, JsonRpc.result(
                request.context.getJsonRpcId(), SamplingResultJson.toJson(result).toString()), null, request.chain,
                request.trace);
    }

    private static SamplingOutcome.Reply error(PendingRequest request, int code, String message, String dataJson) {
        return new SamplingOutcome.Reply(request.requestId(), request.context,
                JsonRpc.error(request.context.getJsonRpcId(), code, message, dataJson), code, request.chain,
                request.trace);
    }
}
