package io.samplingbroker.audit.timeline;

import java.util.List;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

/**
 * Sizes of prompts and completions, and (only when asked) their text. The audit shows sizes by default because
 * prompts are sensitive: the same rule as the services' logs.
 */
public final class ContentSizes {

    private ContentSizes() {
    }

    /** Characters of the system prompt and every text block (tool results included); images count their data. */
    public static long promptChars(CreateMessageParams params) {
        long chars = params.getSystemPrompt() == null ? 0 : params.getSystemPrompt().length();
        for (SamplingMessage message : params.getMessages()) {
            chars += blocksChars(message.getContent());
        }
        return chars;
    }

    public static long completionChars(CreateMessageResult result) {
        return blocksChars(result.getContent());
    }

    private static long blocksChars(List<?> blocks) {
        long chars = 0;
        for (Object block : blocks) {
            if (block instanceof TextContent text) {
                chars += text.getText().length();
            } else if (block instanceof ImageContent image) {
                chars += image.getData().length();
            } else if (block instanceof AudioContent audio) {
                chars += audio.getData().length();
            } else if (block instanceof ToolUseContent use) {
                chars += use.getInput() == null ? 0 : use.getInput().length();
            } else if (block instanceof ToolResultContent result) {
                chars += blocksChars(result.getContent());
            } else if (block instanceof OtherContent other) {
                chars += other.getJson().length();
            }
        }
        return chars;
    }

    /** The prompt as readable text: system prompt, then each message as {@code role: text}; non-text blocks by type. */
    public static String promptText(CreateMessageParams params) {
        StringBuilder text = new StringBuilder();
        if (params.getSystemPrompt() != null) {
            text.append("system: ").append(params.getSystemPrompt()).append('\n');
        }
        for (SamplingMessage message : params.getMessages()) {
            text.append(message.getRole()).append(": ");
            appendBlocks(message.getContent(), text);
            text.append('\n');
        }
        return text.toString().strip();
    }

    public static String completionText(CreateMessageResult result) {
        StringBuilder text = new StringBuilder();
        appendBlocks(result.getContent(), text);
        return text.toString().strip();
    }

    private static void appendBlocks(List<?> blocks, StringBuilder text) {
        for (Object block : blocks) {
            if (block instanceof TextContent content) {
                text.append(content.getText());
            } else if (block instanceof ToolResultContent result) {
                appendBlocks(result.getContent(), text);
            } else {
                text.append('[').append(block.getClass().getSimpleName()).append(']');
            }
        }
    }
}
