package io.samplingbroker.broker.gateway;

import java.util.List;
import java.util.Objects;

import io.samplingbroker.broker.mcp.JsonMembers;
import io.samplingbroker.broker.jsonrpc.JsonRpc;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.mcp.Calls;
import io.samplingbroker.broker.mcp.Envelope;
import io.samplingbroker.broker.mcp.ProtocolVersions;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a sessionless (2026-07-28) request must carry, checked before anything is relayed: the {@code _meta} envelope,
 * a version the broker speaks, and headers that agree with the body.
 */
final class EnvelopeCheck {

    /** Why a request is refused: the HTTP status and the JSON-RPC error. */
    record Refusal(int status, int code, String message, JsonObject data) {
    }

    private EnvelopeCheck() {
    }

    /**
     * Whether a host's message is of the 2026-07-28 era, known by its envelope or its protocol version header, without
     * a session (an initialize that carries them is one too, and refused as such).
     */
    static boolean isSessionless(JsonRpcMessage message, MultiMap headers) {
        return headers.get(McpHeaders.SESSION_ID) == null
                && (ProtocolVersions.isSessionless(headers.get(McpHeaders.PROTOCOL_VERSION))
                        || Envelope.of(message.params()) != null || message.isRequest("server/discover"));
    }

    /** The refusal of {@code request}, or null when it may be served. */
    static Refusal check(JsonRpcMessage request, MultiMap headers) {
        Envelope envelope = Envelope.of(request.params());
        JsonObject meta = JsonMembers.object(request.params(), "_meta");
        if (envelope == null || !(meta.getValue(Envelope.CLIENT_CAPABILITIES) instanceof JsonObject)) {
            JsonArray missing = new JsonArray();
            if (envelope == null) {
                missing.add(Envelope.PROTOCOL_VERSION);
            }
            if (meta == null || !(meta.getValue(Envelope.CLIENT_CAPABILITIES) instanceof JsonObject)) {
                missing.add(Envelope.CLIENT_CAPABILITIES);
            }
            return new Refusal(400, JsonRpc.INVALID_PARAMS, "Invalid params: a request without a session needs the"
                    + " params._meta envelope; missing " + missing.encode(), new JsonObject().put("envelope",
                            new JsonObject().put("missing", missing)));
        }
        // Headers first: a header that disagrees with the body is -32020 whatever the version says.
        String headerVersion = headers.get(McpHeaders.PROTOCOL_VERSION);
        if (headerVersion == null) {
            return mismatch("the " + McpHeaders.PROTOCOL_VERSION + " header is required");
        }
        if (!headerVersion.equals(envelope.protocolVersion())) {
            return mismatch("the " + McpHeaders.PROTOCOL_VERSION + " header (" + headerVersion
                    + ") disagrees with params._meta (" + envelope.protocolVersion() + ")");
        }
        String method = headers.get(McpHeaders.METHOD);
        if (method == null) {
            return mismatch("the " + McpHeaders.METHOD + " header is required");
        }
        if (!method.equals(request.method())) {
            return mismatch("the " + McpHeaders.METHOD + " header (" + method + ") disagrees with the method ("
                    + request.method() + ")");
        }
        String name = Calls.nameOf(request);
        String headerName = headers.get(McpHeaders.NAME);
        if (name != null && !Objects.equals(headerName, name)) {
            return mismatch(headerName == null ? "the " + McpHeaders.NAME + " header is required for " + request.method()
                    : "the " + McpHeaders.NAME + " header (" + headerName + ") disagrees with the body (" + name + ")");
        }
        if (!ProtocolVersions.CURRENT.equals(envelope.protocolVersion())) {
            return new Refusal(400, JsonRpc.UNSUPPORTED_VERSION, "Unsupported protocol version "
                    + envelope.protocolVersion() + " without a session; initialize a session for the 2025 revisions",
                    new JsonObject().put("supported", new JsonArray(List.of(ProtocolVersions.CURRENT)))
                            .put("requested", envelope.protocolVersion()));
        }
        return null;
    }

    private static Refusal mismatch(String message) {
        return new Refusal(400, JsonRpc.HEADER_MISMATCH, "Header mismatch: " + message, null);
    }
}
