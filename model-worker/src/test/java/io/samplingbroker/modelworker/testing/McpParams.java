package io.samplingbroker.modelworker.testing;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.json.SamplingParamsJson;

/** MCP {@code sampling/createMessage} params written as the JSON a server sends, read with the contract's mapping. */
public final class McpParams {

    private McpParams() {
    }

    public static CreateMessageParams fromJson(String json) {
        return SamplingParamsJson.fromJson(McpJson.parse(json));
    }

    /** One user message of text. */
    public static CreateMessageParams text(String text, int maxTokens) {
        return fromJson("""
                {"messages":[{"role":"user","content":{"type":"text","text":%s}}],"maxTokens":%d}
                """.formatted(McpJson.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(text)), maxTokens));
    }
}
