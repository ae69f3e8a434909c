package io.samplingbroker.broker.jsonrpc;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One JSON-RPC message as it travelled: the exact text, so relayed messages are forwarded byte for byte, and the
 * parsed object, so the broker can see what it is. Only the messages the broker changes or answers are rebuilt.
 */
public record JsonRpcMessage(String text, JsonObject json) {

    /** Kinds of JSON-RPC message. */
    public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    public static JsonRpcMessage parse(String text) throws InvalidJsonRpcException {
        JsonObject json;
        try {
            Object value = io.vertx.core.json.Json.decodeValue(text);
            if (!(value instanceof JsonObject object)) {
                throw new InvalidJsonRpcException("a JSON-RPC message must be a JSON object"
                        + (value instanceof io.vertx.core.json.JsonArray ? " (batches are not supported)" : ""));
            }
            json = object;
        } catch (DecodeException e) {
            throw new InvalidJsonRpcException("not valid JSON: " + e.getMessage());
        }
        if (!"2.0".equals(json.getValue("jsonrpc"))) {
            throw new InvalidJsonRpcException("\"jsonrpc\" must be \"2.0\"");
        }
        return new JsonRpcMessage(text, json);
    }

    public static JsonRpcMessage of(JsonObject json) {
        return new JsonRpcMessage(json.encode(), json);
    }

    public Kind kind() {
        if (json.containsKey("method")) {
            return json.containsKey("id") ? Kind.REQUEST : Kind.NOTIFICATION;
        }
        return Kind.RESPONSE;
    }

    public String method() {
        return json.getString("method");
    }

    /** The id (string or number) as JSON text, or null for a notification. */
    public String idJson() {
        return json.containsKey("id") ? io.vertx.core.json.Json.encode(json.getValue("id")) : null;
    }

    public Object id() {
        return json.getValue("id");
    }

    public JsonObject params() {
        Object params = json.getValue("params");
        return params instanceof JsonObject object ? object : null;
    }

    public boolean isRequest(String name) {
        return kind() == Kind.REQUEST && name.equals(method());
    }

    public boolean isNotification(String name) {
        return kind() == Kind.NOTIFICATION && name.equals(method());
    }
}
