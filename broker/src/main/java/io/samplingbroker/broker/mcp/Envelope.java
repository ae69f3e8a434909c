package io.samplingbroker.broker.mcp;

import io.vertx.core.json.JsonObject;

/**
 * What a 2026-07-28 request carries instead of a session: the protocol version, the client's capabilities and its
 * identity, in {@code params._meta}.
 *
 * @param protocolVersion the revision the request is made in
 * @param clientCapabilities what the client can answer (sampling, elicitation, roots, ...)
 * @param clientInfo the client's name and version
 */
public record Envelope(String protocolVersion, JsonObject clientCapabilities, JsonObject clientInfo) {

    public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    /** Not of the envelope but its answer: where a 2026-07-28 result's {@code _meta} names the server. */
    public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";

    /** The envelope of {@code params}, or null when it has no protocol version in {@code _meta}. */
    public static Envelope of(JsonObject params) {
        JsonObject meta = JsonMembers.object(params, "_meta");
        if (meta == null || !(meta.getValue(PROTOCOL_VERSION) instanceof String version)) {
            return null;
        }
        return new Envelope(version, JsonMembers.objectOrEmpty(meta, CLIENT_CAPABILITIES),
                JsonMembers.objectOrEmpty(meta, CLIENT_INFO));
    }

    /** Writes this envelope into {@code params._meta}, keeping every other {@code _meta} key. */
    public JsonObject writeInto(JsonObject params) {
        JsonObject meta = JsonMembers.objectOrEmpty(params, "_meta");
        meta.put(PROTOCOL_VERSION, protocolVersion).put(CLIENT_CAPABILITIES, clientCapabilities)
                .put(CLIENT_INFO, clientInfo);
        return params.put("_meta", meta);
    }

    /** The same envelope, the client also able to sample with tools: the broker answers sampling for it. */
    public Envelope withSampling() {
        return new Envelope(protocolVersion, Capabilities.withSampling(clientCapabilities), clientInfo);
    }
}
