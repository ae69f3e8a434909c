package io.samplingbroker.broker.gateway;

/** HTTP headers of MCP Streamable HTTP, and the broker's own. */
public final class McpHeaders {

    public static final String SESSION_ID = "Mcp-Session-Id";
    public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    /** Optional: names the host (agent) the session acts for; defaults to the client's clientInfo name. */
    public static final String HOST_ID = "X-Sampling-Host-Id";

    private McpHeaders() {
    }
}
