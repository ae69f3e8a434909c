package io.samplingbroker.sdkadapter;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;

/**
 * The delegation API's wire format on the SDK's side: the SDK's request record as the API's body, the API's
 * {@code SamplingRequest} as the SDK's result or {@link McpError}, and a refusal (a problem document) as the
 * {@link McpError} the server should get.
 */
final class DelegationJson {

    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int SAMPLING_EXPIRED = -32001;
    static final int LIMIT_REACHED = -32005;

    private final ObjectMapper mapper;

    DelegationJson(ObjectMapper mapper) {
        // the broker may add members a newer MCP schema has; the SDK's records should not fail on them
        this.mapper = mapper.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /**
     * The POST body: the request's params as the SDK writes them, the context the SDK does not give a handler, and how
     * long the broker may keep the request.
     */
    String requestBody(CreateMessageRequest request, String server, String session, Duration ttl) {
        ObjectNode body = mapper.createObjectNode().put("server", server).put("ttlMs", ttl.toMillis());
        if (session != null) {
            body.put("session", session);
        }
        body.set("params", mapper.valueToTree(request));
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw error(INVALID_PARAMS, "The sampling request cannot be written as JSON: " + e.getOriginalMessage(),
                    null);
        }
    }

    /** The broker's answer to one exchange: the request's state (200, 202), or the refusal as an error. */
    JsonNode answer(int status, String body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw error(INTERNAL_ERROR, "The sampling broker answered HTTP " + status + " with no JSON", null);
        }
        if (status == 200 || status == 202) {
            return json;
        }
        String detail = json.path("detail").asText("HTTP " + status);
        String pointer = json.path("pointer").asText(null);
        String message = "The sampling broker refused the request (HTTP " + status + "): " + detail;
        int code = switch (status) {
            case 400, 413, 415, 422 -> INVALID_PARAMS;
            case 429 -> LIMIT_REACHED;
            default -> INTERNAL_ERROR;
        };
        throw error(code, message, pointer == null ? null : Map.of("pointer", pointer));
    }

    /** A concluded request as the handler's result, or the error the server gets. */
    CreateMessageResult outcome(JsonNode request) {
        String status = request.path("status").asText();
        switch (status) {
            case "completed" -> {
                JsonNode result = request.path("result");
                if (result.path("content").isArray()) {
                    // MCP 2025-11-25 allows several blocks (a model's tool calls); the SDK's record holds one
                    if (result.path("content").size() != 1) {
                        throw error(INTERNAL_ERROR, "The answer has " + result.path("content").size()
                                + " content blocks; the MCP Java SDK's CreateMessageResult holds one", null);
                    }
                    ((ObjectNode) result).set("content", result.path("content").get(0));
                }
                try {
                    return mapper.treeToValue(result, CreateMessageResult.class);
                } catch (JsonProcessingException e) {
                    throw error(INTERNAL_ERROR, "The answer cannot be read as an MCP Java SDK CreateMessageResult: "
                            + e.getOriginalMessage(), null);
                }
            }
            case "failed" -> {
                JsonNode failure = request.path("error");
                Object data = failure.has("data") ? mapper.convertValue(failure.get("data"), Object.class) : null;
                throw error(failure.path("code").asInt(INTERNAL_ERROR), failure.path("message").asText(
                        "Sampling failed"), data);
            }
            case "cancelled" -> throw error(INTERNAL_ERROR, "Sampling request " + request.path("id").asText()
                    + " was cancelled: " + request.path("statusMessage").asText("no reason given"), null);
            default -> throw error(INTERNAL_ERROR, "The sampling broker answered a request in state '" + status + "'",
                    null);
        }
    }

    static McpError error(int code, String message, Object data) {
        return McpError.builder(code).message(message).data(data).build();
    }
}
