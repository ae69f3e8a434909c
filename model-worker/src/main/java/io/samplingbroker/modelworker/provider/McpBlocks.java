package io.samplingbroker.modelworker.provider;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

/** What the providers' mappers say about MCP content a format cannot carry. */
public final class McpBlocks {

    private McpBlocks() {
    }

    /** The MCP name of a content block's type ({@code image}, {@code audio}, ...), for an error message. */
    public static String typeName(Object block) {
        if (block instanceof ImageContent) {
            return "image";
        }
        if (block instanceof AudioContent) {
            return "audio";
        }
        if (block instanceof ToolUseContent) {
            return "tool_use";
        }
        if (block instanceof ToolResultContent) {
            return "tool_result";
        }
        return block.getClass().getSimpleName();
    }

    /**
     * How deep a model's {@code tool_use} input may nest. The broker answers the server with
     * {@code {"jsonrpc":..,"result":{"content":[{"type":"tool_use","input":{..}}]}}}, the input's members four levels
     * down, and Jackson reads and writes at most 1000 levels (the broker, and by default the server): a deeper input
     * would make an answer nobody can write or read.
     */
    public static final int MAX_TOOL_INPUT_DEPTH = 996;

    /** The levels of objects and arrays of {@code node}: 0 for a scalar, 1 for {@code {}}, 2 for {@code {"a":[]}}. */
    public static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }

    /** The failure of a request whose content the provider's format cannot carry. */
    public static ProviderFailure unsupported(String message) {
        return new ProviderFailure(FailureCode.UNSUPPORTED_CONTENT, message);
    }
}
