package io.samplingbroker.broker.gateway;

/** HTTP headers of MCP Streamable HTTP, and the broker's own. */
public final class McpHeaders {

    public static final String SESSION_ID = "Mcp-Session-Id";
    public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    /** 2026-07-28: the JSON-RPC method of the body. */
    public static final String METHOD = "Mcp-Method";
    /** 2026-07-28: the tool or prompt name, or the resource URI, of the body. */
    public static final String NAME = "Mcp-Name";
    /** Optional: names the host (agent) the session acts for; defaults to the client's clientInfo name. */
    public static final String HOST_ID = "X-Sampling-Host-Id";
    /** W3C Trace Context: the host's trace, which the sampling its call causes joins. */
    public static final String TRACEPARENT = "traceparent";

    private McpHeaders() {
    }
}
