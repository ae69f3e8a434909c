package io.samplingbroker.broker.jsonrpc;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Builds the JSON-RPC messages the broker itself sends. */
public final class JsonRpc {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    /** 2026-07-28: an MCP header is missing or disagrees with the body. */
    public static final int HEADER_MISMATCH = -32020;
    /** 2026-07-28: the request needs a client capability the envelope does not declare. */
    public static final int MISSING_CAPABILITY = -32021;
    /** 2026-07-28: the protocol version is not one the receiver speaks ({@code data.supported} lists those). */
    public static final int UNSUPPORTED_VERSION = -32022;

    private JsonRpc() {
    }

    /** A response to the request whose id is given as JSON text (so "7" and 7 stay distinct). */
    public static JsonRpcMessage result(String idJson, String resultJson) {
        return JsonRpcMessage.of(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"result\":" + resultJson + "}"));
    }

    /** A request under the id given as JSON text, with params given as JSON text. */
    public static JsonRpcMessage request(String idJson, String method, String paramsJson) {
        return JsonRpcMessage.of(new JsonObject("{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":"
                + Json.encode(method) + ",\"params\":" + paramsJson + "}"));
    }

    public static JsonRpcMessage error(String idJson, int code, String message, String dataJson) {
        JsonObject error = new JsonObject().put("code", code).put("message", message);
        if (dataJson != null) {
            error.put("data", Json.decodeValue(dataJson));
        }
        return JsonRpcMessage.of(new JsonObject().put("jsonrpc", "2.0")
                .put("id", idJson == null ? null : Json.decodeValue(idJson)).put("error", error));
    }

}
