package io.samplingbroker.modelworker.provider.openai;

import static io.samplingbroker.modelworker.provider.McpBlocks.typeName;
import static io.samplingbroker.modelworker.provider.McpBlocks.unsupported;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.models.responses.ResponseCreateParams;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderFailure;

/**
 * MCP {@code sampling/createMessage} params to a Responses API request ({@code POST /responses}):
 * <ul>
 *   <li>the system prompt as {@code instructions}, {@code maxTokens} as {@code max_output_tokens},
 *   {@code temperature}; {@code store: false}, so the provider keeps no copy of the prompt or answer (the API stores
 *   responses for 30 days by default);</li>
 *   <li>user text, images ({@code input_image} with a {@code data:} URL) and wav or mp3 audio ({@code input_audio});
 *   assistant text; {@code tool_use} blocks as {@code function_call} items and {@code tool_result} blocks as
 *   {@code function_call_output} items (text; media a tool returned follow in a user message);</li>
 *   <li>tools as {@code function} tools with their JSON Schema (not strict: MCP schemas need not meet strict mode's
 *   rules), {@code toolChoice} as {@code tool_choice}.</li>
 * </ul>
 * The API has no stop sequences: a request with {@code stopSequences} fails with {@code UNSUPPORTED_CONTENT} (a
 * fallback on Chat Completions can take it) rather than be answered past where the server wanted it to stop. The
 * input is sent as JSON the SDK passes on unchanged: its typed input items would need every optional field spelled.
 */
public final class ResponsesRequestMapper {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResponsesRequestMapper() {
    }

    /** @throws ProviderFailure with {@link FailureCode#UNSUPPORTED_CONTENT} for what the API cannot carry */
    public static ResponseCreateParams toRequest(CreateMessageParams params, String providerModel) {
        if (params.getStopSequences() != null && !params.getStopSequences().isEmpty()) {
            throw unsupported("the Responses API has no stop sequences");
        }
        ResponseCreateParams.Builder request = ResponseCreateParams.builder().model(providerModel)
                .maxOutputTokens(params.getMaxTokens()).store(false);
        if (params.getSystemPrompt() != null && !params.getSystemPrompt().isEmpty()) {
            request.instructions(params.getSystemPrompt());
        }
        if (params.getTemperature() != null) {
            request.temperature(params.getTemperature());
        }
        request.putAdditionalBodyProperty("input", JsonValue.fromJsonNode(input(params.getMessages())));
        List<Tool> tools = params.getTools();
        if (tools != null && !tools.isEmpty()) {
            ArrayNode functions = JSON.arrayNode();
            tools.forEach(tool -> functions.add(function(tool)));
            request.putAdditionalBodyProperty("tools", JsonValue.fromJsonNode(functions));
            if (params.getToolChoice() != null && params.getToolChoice().getMode() != null) {
                request.putAdditionalBodyProperty("tool_choice",
                        JsonValue.from(params.getToolChoice().getMode().name().toLowerCase(Locale.ROOT)));
            }
        }
        return request.build();
    }

    private static ArrayNode input(List<SamplingMessage> messages) {
        ArrayNode items = JSON.arrayNode();
        for (int i = 0; i < messages.size(); i++) {
            SamplingMessage message = messages.get(i);
            if (message.getRole() == Role.assistant) {
                assistant(message, i, items);
            } else if (message.getContent().stream().anyMatch(ToolResultContent.class::isInstance)) {
                toolResults(message, i, items);
            } else {
                ArrayNode content = JSON.arrayNode();
                for (Object block : message.getContent()) {
                    content.add(userPart(block, i));
                }
                items.add(message("user", content));
            }
        }
        return items;
    }

    private static ObjectNode userPart(Object block, int index) {
        if (block instanceof TextContent text) {
            return inputText(text.getText());
        }
        if (block instanceof ImageContent image) {
            return JSON.objectNode().put("type", "input_image").put("detail", "auto")
                    .put("image_url", "data:" + image.getMimeType() + ";base64," + image.getData());
        }
        if (block instanceof AudioContent audio) {
            String format = ChatMessagesMapper.audioFormat(audio.getMimeType(), index).asString();
            ObjectNode part = JSON.objectNode().put("type", "input_audio");
            part.putObject("input_audio").put("data", audio.getData()).put("format", format);
            return part;
        }
        if (block instanceof OtherContent other) {
            return inputText(other.getJson());
        }
        throw unsupported("message " + index + ": a " + typeName(block) + " block cannot be sent in a user message");
    }

    /** Its text first, as one message, then its tool calls, as the API's items. */
    private static void assistant(SamplingMessage message, int index, ArrayNode items) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = JSON.arrayNode();
        for (Object block : message.getContent()) {
            if (block instanceof TextContent part) {
                text.append(text.isEmpty() ? "" : "\n").append(part.getText());
            } else if (block instanceof OtherContent other) {
                text.append(text.isEmpty() ? "" : "\n").append(other.getJson());
            } else if (block instanceof ToolUseContent use) {
                calls.add(JSON.objectNode().put("type", "function_call").put("call_id", use.getId())
                        .put("name", use.getName()).put("arguments", use.getInput()));
            } else {
                throw unsupported("message " + index + ": an assistant message cannot carry " + typeName(block)
                        + " content in the Responses format");
            }
        }
        if (!text.isEmpty() || calls.isEmpty()) {
            items.add(message("assistant", text.toString()));
        }
        items.addAll(calls);
    }

    private static void toolResults(SamplingMessage message, int index, ArrayNode items) {
        ArrayNode media = JSON.arrayNode();
        for (Object block : message.getContent()) {
            if (!(block instanceof ToolResultContent result)) {
                throw unsupported("message " + index + ": tool_result blocks cannot be mixed with other content");
            }
            ToolResultParts parts = ToolResultParts.of(result);
            for (Object part : parts.media()) {
                if (media.isEmpty()) {
                    media.add(inputText(ToolResultParts.MEDIA_INTRO));
                }
                media.add(userPart(part, index));
            }
            items.add(JSON.objectNode().put("type", "function_call_output").put("call_id", result.getToolUseId())
                    .put("output", parts.text()));
        }
        if (!media.isEmpty()) {
            items.add(message("user", media));
        }
    }

    private static ObjectNode function(Tool tool) {
        JsonNode schema = ChatRequestMapper.inputSchema(tool);
        ObjectNode function = JSON.objectNode().put("type", "function").put("name", tool.getName());
        String description = tool.getDescription() != null ? tool.getDescription() : tool.getTitle();
        if (description != null) {
            function.put("description", description);
        }
        function.set("parameters", schema);
        return function.put("strict", false);
    }

    private static ObjectNode message(String role, Object content) {
        ObjectNode message = JSON.objectNode().put("type", "message").put("role", role);
        if (content instanceof String text) {
            message.put("content", text);
        } else {
            message.set("content", (JsonNode) content);
        }
        return message;
    }

    private static ObjectNode inputText(String text) {
        return JSON.objectNode().put("type", "input_text").put("text", text);
    }
}
