package io.samplingbroker.broker.jsonrpc;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

/**
 * One JSON-RPC message as it travelled: the exact text, so relayed messages are forwarded byte for byte, and the
 * parsed object, so the broker can see what it is. Only the messages the broker changes or answers are rebuilt.
 */
public record JsonRpcMessage(String text, JsonObject json) {

    /**
     * JSON as RFC 8259 has it. Vert.x's own reader also takes comments ({@code //}, {@code /* *}{@code /}): a message
     * with one would be relayed as it came, to a peer that reads JSON, and the contract's reader refuses it too.
     */
    private static final JsonFactory STRICT_JSON = JsonFactory.builder().build();

    /** Kinds of JSON-RPC message. */
    public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    /**
     * Parses one message.
     *
     * @throws InvalidJsonRpcException when the text is not JSON ({@code -32700}), or not a JSON-RPC 2.0 message: not an
     *     object, {@code jsonrpc} other than "2.0", an id that is neither a string nor an integer ({@code -32600})
     */
    public static JsonRpcMessage parse(String text) throws InvalidJsonRpcException {
        Object value;
        try {
            value = decode(text);
        } catch (DecodeException e) {
            ReadableId readable = ReadableId.of(text);
            throw new InvalidJsonRpcException(JsonRpc.PARSE_ERROR, "not valid JSON: " + e.getMessage(),
                    readable.idJson(), readable.hasMethod());
        }
        if (!(value instanceof JsonObject json)) {
            throw new InvalidJsonRpcException(JsonRpc.INVALID_REQUEST, "a JSON-RPC message must be a JSON object"
                    + (value instanceof JsonArray ? " (batches are not supported)" : ""), null, false);
        }
        Object id = json.getValue("id");
        boolean validId = id == null || id instanceof String || id instanceof Integer || id instanceof Long
                || id instanceof java.math.BigInteger;
        String idJson = validId && id != null ? Json.encode(id) : null;
        if (!validId) {
            throw new InvalidJsonRpcException(JsonRpc.INVALID_REQUEST, "the id must be a string or an integer, got "
                    + Json.encode(id), null, json.containsKey("method"));
        }
        if (!"2.0".equals(json.getValue("jsonrpc"))) {
            throw new InvalidJsonRpcException(JsonRpc.INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"", idJson,
                    json.containsKey("method"));
        }
        return new JsonRpcMessage(text, json);
    }

    private static Object decode(String text) {
        try (JsonParser parser = STRICT_JSON.createParser(text)) {
            return JacksonCodec.fromParser(parser, Object.class);
        } catch (IOException e) {
            throw new DecodeException(e.getMessage(), e);
        }
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
        return json.containsKey("id") ? Json.encode(json.getValue("id")) : null;
    }

    /** The same message under another id (JSON text): a response handed back to whoever asked under its own id. */
    public JsonRpcMessage withId(String newIdJson) {
        if (newIdJson.equals(idJson())) {
            return this;
        }
        return of(json.copy().put("id", Json.decodeValue(newIdJson)));
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
