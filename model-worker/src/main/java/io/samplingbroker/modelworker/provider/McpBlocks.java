package io.samplingbroker.modelworker.provider;

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

    /** The failure of a request whose content the provider's format cannot carry. */
    public static ProviderFailure unsupported(String message) {
        return new ProviderFailure(FailureCode.UNSUPPORTED_CONTENT, message);
    }
}
