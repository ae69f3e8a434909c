package io.samplingbroker.broker.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.vertx.core.json.JsonObject;

/**
 * One {@code input_required} result of a 2026-07-28 server: the input it needs before it can answer the call, by key,
 * and the opaque state the retry must echo.
 *
 * @param number 1 for the call's first round, 2 for the next, ...
 * @param requests each input request ({@code method}, {@code params}) by its key, in the server's order
 * @param requestState the server's state, echoed unchanged in the retry; null when it sent none
 */
public record InputRound(int number, Map<String, JsonObject> requests, String requestState) {

    public static final String SAMPLING = "sampling/createMessage";

    public InputRound {
        requests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requests));
    }

    /** Whether {@code response} is a result asking for input: {@code resultType} is {@code input_required}. */
    public static boolean isInputRequired(JsonRpcMessage response) {
        return response.json().getValue("result") instanceof JsonObject result
                && "input_required".equals(result.getValue("resultType"));
    }

    /**
     * The round {@code response} asks for.
     *
     * @throws IllegalArgumentException when the result is malformed: neither {@code inputRequests} nor
     *     {@code requestState}, an input request without a {@code method}, or a {@code requestState} that is not a string
     */
    public static InputRound of(JsonRpcMessage response, int number) {
        JsonObject result = response.json().getJsonObject("result");
        Object listed = result.getValue("inputRequests");
        if (listed != null && !(listed instanceof JsonObject)) {
            throw new IllegalArgumentException("inputRequests must be an object");
        }
        JsonObject inputs = listed == null ? new JsonObject() : (JsonObject) listed;
        if (inputs.isEmpty() && result.getValue("requestState") == null) {
            throw new IllegalArgumentException("an input_required result needs inputRequests or requestState");
        }
        Map<String, JsonObject> requests = new LinkedHashMap<>();
        for (String key : inputs.fieldNames()) {
            if (!(inputs.getValue(key) instanceof JsonObject request) || !(request.getValue("method") instanceof String)) {
                throw new IllegalArgumentException("inputRequests." + key + " needs a method");
            }
            requests.put(key, request);
        }
        Object state = result.getValue("requestState");
        if (state != null && !(state instanceof String)) {
            throw new IllegalArgumentException("requestState must be a string");
        }
        return new InputRound(number, requests, (String) state);
    }

    public boolean isSampling(String key) {
        return SAMPLING.equals(requests.get(key).getString("method"));
    }

    /** The input requests the broker does not answer itself (elicitation, roots, ...): they belong to the host. */
    public Map<String, JsonObject> forHost() {
        Map<String, JsonObject> host = new LinkedHashMap<>();
        requests.forEach((key, request) -> {
            if (!isSampling(key)) {
                host.put(key, request);
            }
        });
        return host;
    }

    /**
     * The call again, as the server asks to see it: a new id, the same params and {@code _meta}, these
     * {@code inputResponses} and the server's {@code requestState} echoed.
     */
    public JsonRpcMessage retry(JsonRpcMessage call, String newIdJson, JsonObject inputResponses) {
        JsonObject json = call.json().copy();
        json.put("id", io.vertx.core.json.Json.decodeValue(newIdJson));
        JsonObject params = json.getJsonObject("params", new JsonObject());
        if (inputResponses.isEmpty()) {
            params.remove("inputResponses"); // a requestState-only round answers nothing
        } else {
            params.put("inputResponses", inputResponses);
        }
        if (requestState == null) {
            params.remove("requestState");
        } else {
            params.put("requestState", requestState);
        }
        json.put("params", params);
        return JsonRpcMessage.of(json);
    }
}
