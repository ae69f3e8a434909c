package io.samplingbroker.broker.sampling;

import java.time.Duration;
import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.events.JsonRpcError;
import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingFailed;
import io.samplingbroker.events.TokenUsage;
import io.samplingbroker.schemas.AnsweringModel;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingResultJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The completion event of a host's answer to a forwarded request, as a model-worker writes a model's: a
 * {@code SamplingCompleted} with provider {@value #PROVIDER}, or a {@code SamplingFailed} that says what the host did
 * instead (its own JSON-RPC error, kept whole for the server; a result that breaks the MCP schema; no answer).
 */
final class HostAnswers {

    /** {@code provider} of the completions that hosts gave. */
    static final String PROVIDER = AnsweringModel.HOST_PROVIDER;

    private HostAnswers() {
    }

    /** The event for the host's JSON-RPC response to the forwarded {@code sampling/createMessage}. */
    static SpecificRecord of(SamplingContext context, JsonRpcMessage response, Instant now, Instant forwardedAt) {
        if (response.json().getValue("error") instanceof JsonObject error) {
            return hostError(context, error, now);
        }
        try {
            return SamplingCompleted.newBuilder()
                    .setContext(context)
                    .setOccurredAt(now)
                    .setCreateMessageResult(SamplingResultJson.fromJson(McpJson.parse(response.text()).get("result")))
                    .setProvider(PROVIDER)
                    .setUsage(new TokenUsage(null, null, null)) // a host does not say what its model used
                    .setLatencyMillis(Math.max(0, Duration.between(forwardedAt, now).toMillis()))
                    .build();
        } catch (InvalidSamplingJsonException e) {
            return failed(context, now, "broker", "HOST_INVALID_RESULT",
                    "the host's answer is not a valid sampling/createMessage result: " + e.getMessage(), null);
        }
    }

    /** The event for a forwarded request the host did not answer. */
    static SpecificRecord none(SamplingContext context, String reason, Instant now) {
        return failed(context, now, "broker", "HOST_NO_ANSWER", "the host gave no answer: " + reason, null);
    }

    private static SpecificRecord hostError(SamplingContext context, JsonObject error, Instant now) {
        Object code = error.getValue("code");
        if (!(code instanceof Integer number)) {
            return failed(context, now, "broker", "HOST_INVALID_RESULT",
                    "the host answered with an error whose code is not an integer", null);
        }
        Object message = error.getValue("message");
        Object data = error.getValue("data");
        JsonRpcError kept = new JsonRpcError(number, message instanceof String text ? text : String.valueOf(message),
                data == null ? null : Json.encode(data));
        return failed(context, now, "host", "HOST_ERROR", "the host answered with error " + number, kept);
    }

    private static SamplingFailed failed(SamplingContext context, Instant now, String stage, String code,
            String message, JsonRpcError hostError) {
        return SamplingFailed.newBuilder()
                .setContext(context)
                .setOccurredAt(now)
                .setStage(stage)
                .setErrorCode(code)
                .setMessage(message)
                .setProvider(PROVIDER)
                .setHostError(hostError)
                .build();
    }
}
