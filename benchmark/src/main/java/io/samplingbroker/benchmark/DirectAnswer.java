package io.samplingbroker.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.modelworker.provider.offline.OfflineEchoModel;
import io.samplingbroker.schemas.SamplingErrors;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

/**
 * What a host that samples by itself does with one message from the server: the work per answer of the no-broker
 * floor. It is the same work the spine does around the model, done once and in place: parse the message, map the
 * params with the project's own mapping ({@link SamplingParamsJson}, as the broker does before Kafka), run the
 * model-worker's offline model, map its result back ({@link SamplingResultJson}, as the broker does after Kafka), and
 * encode the JSON-RPC response. Pure: no I/O, callable on an event loop (tens of microseconds for a 20 KB prompt).
 */
final class DirectAnswer {

    static final String METHOD = "sampling/createMessage";

    private DirectAnswer() {
    }

    /**
     * The JSON-RPC response to {@code messageJson}, or null when it needs none (a notification or a response).
     * Params that break the MCP schema get {@code -32602} and an unknown method {@code -32601}, as the broker answers
     * them, so that the load generator counts an error instead of a missing answer.
     *
     * @throws InvalidSamplingJsonException when the message is not JSON at all (nothing to echo an id to)
     */
    static String respond(String messageJson) {
        JsonNode message = McpJson.parse(messageJson);
        JsonNode id = message.get("id");
        JsonNode method = message.get("method");
        if (id == null || id.isNull() || method == null) {
            return null;
        }
        if (!METHOD.equals(method.asText())) {
            return error(id, SamplingErrors.METHOD_NOT_FOUND, "Method not found: " + method.asText());
        }
        CreateMessageResult result;
        try {
            // The model-worker's provider call() wraps exactly this static answer in a completed future.
            CreateMessageParams params = SamplingParamsJson.fromJson(message.path("params"));
            result = OfflineEchoModel.answer(params).result();
        } catch (InvalidSamplingJsonException e) {
            return error(id, SamplingErrors.INVALID_PARAMS, e.getMessage());
        }
        ObjectNode response = envelope(id);
        response.set("result", SamplingResultJson.toJson(result));
        return McpJson.write(response);
    }

    /** The id node is copied as read, so that 7 and "7" stay distinct, as JSON-RPC requires. */
    private static ObjectNode envelope(JsonNode id) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        return response;
    }

    private static String error(JsonNode id, int code, String message) {
        ObjectNode response = envelope(id);
        response.putObject("error").put("code", code).put("message", message);
        return McpJson.write(response);
    }
}
