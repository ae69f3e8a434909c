package io.samplingbroker.broker.mcp;

import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An input request answered with an error: a denied, expired or failed sampling, or a host's error to an elicitation.
 * The 2026-07-28 revision has no way to give a server an error for an input request (an {@code inputResponses} entry
 * is a bare result), and the SDK v2 client does what the broker does: it stops the call and retries nothing. The
 * host learns what happened the way the SDK v2 server tells a 2025-era client: a {@code tools/call} gets a tool
 * result with {@code isError}, other calls a JSON-RPC error that keeps the input's code.
 */
public final class InputFailure {

    private InputFailure() {
    }

    /**
     * The answer to the host's {@code call} when the input under {@code key} got {@code error}; a 2026-07-28 host's
     * result says {@code resultType: complete}, as that revision requires.
     */
    public static JsonRpcMessage answer(JsonRpcMessage call, String key, JsonObject error, boolean sessionlessHost) {
        int code = error.getValue("code") instanceof Integer given ? given : SamplingErrors.INTERNAL_ERROR;
        String message = JsonMembers.string(error, "message");
        String text = "The input '" + key + "' the server asked for was not given: " + (message == null ? "" : message)
                + " (" + code + ")";
        JsonObject data = new JsonObject().put("inputKey", key).put("error", error);
        if ("tools/call".equals(call.method())) {
            JsonObject result = new JsonObject()
                    .put("content", new JsonArray().add(new JsonObject().put("type", "text")
                            .put("text", text)))
                    .put("isError", true)
                    .put("_meta", new JsonObject().put("io.samplingbroker/inputFailure", data));
            if (sessionlessHost) {
                result.put("resultType", "complete");
            }
            return JsonRpc.result(call.idJson(), result.encode());
        }
        return JsonRpc.error(call.idJson(), code, text, data.encode());
    }
}
