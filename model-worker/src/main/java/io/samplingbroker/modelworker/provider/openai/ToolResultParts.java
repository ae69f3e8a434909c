package io.samplingbroker.modelworker.provider.openai;

import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolResultContent;

/**
 * An MCP tool result as both OpenAI formats carry it: the text of their tool message or {@code function_call_output}
 * (its text blocks, else its {@code structuredContent}; {@code [tool error] } first when {@code isError}), and the
 * images and audio it returned, which only a user message can carry.
 *
 * @param text the result's text
 * @param media its image and audio blocks, in order
 */
record ToolResultParts(String text, List<Object> media) {

    /** What introduces the media of the tool results in the user message that follows them. */
    static final String MEDIA_INTRO = "Media returned by the tool calls above:";

    static ToolResultParts of(ToolResultContent result) {
        List<String> texts = new ArrayList<>();
        List<Object> media = new ArrayList<>();
        for (Object part : result.getContent()) {
            if (part instanceof TextContent text) {
                texts.add(text.getText());
            } else if (part instanceof OtherContent other) {
                texts.add(other.getJson());
            } else {
                media.add(part);
            }
        }
        if (texts.isEmpty() && result.getStructuredContent() != null) {
            texts.add(result.getStructuredContent());
        }
        String text = String.join("\n", texts);
        return new ToolResultParts(Boolean.TRUE.equals(result.getIsError()) ? "[tool error] " + text : text,
                List.copyOf(media));
    }
}
