package io.samplingbroker.modelworker.provider.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.McpBlocks;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.schemas.json.McpJson;

/**
 * An Anthropic Messages response to an MCP result: text blocks as text, {@code tool_use} blocks as MCP
 * {@code tool_use} (input as given), the model the API names, and the stop reason: {@code end_turn} →
 * {@code endTurn}, {@code max_tokens} → {@code maxTokens}, {@code stop_sequence} → {@code stopSequence},
 * {@code tool_use} → {@code toolUse}; others ({@code refusal}, {@code pause_turn}, ...) are kept as the
 * provider-specific string MCP allows. Thinking blocks are the model's own and not part of the answer.
 */
public final class MessagesResponseMapper {

    private MessagesResponseMapper() {
    }

    /** @throws ProviderFailure with {@link FailureCode#PROVIDER_BAD_RESPONSE} when the body is not a usable answer */
    public static ProviderAnswer toAnswer(Message message) {
        try {
            return map(message);
        } catch (AnthropicInvalidDataException e) {
            // The SDK checks fields lazily: a missing or mistyped required field surfaces here.
            throw badResponse("the message misses a required field or has one of the wrong type");
        }
    }

    private static ProviderAnswer map(Message message) {
        List<Object> content = new ArrayList<>();
        for (ContentBlock block : message.content()) {
            if (block == null) {
                // the SDK reads "content":[null] as a list holding null; it checks no element
                throw badResponse("the message holds a null content block");
            }
            if (block.isText()) {
                content.add(TextContent.newBuilder().setText(block.asText().text()).build());
            } else if (block.isToolUse()) {
                content.add(toolUse(block.asToolUse()));
            }
        }
        if (content.isEmpty()) {
            content.add(TextContent.newBuilder().setText("").build());
        }
        CreateMessageResult result = CreateMessageResult.newBuilder()
                .setRole(Role.assistant)
                .setContent(content)
                .setContentShape(content.size() == 1 ? ContentShape.SINGLE : ContentShape.ARRAY)
                .setModel(message.model().asString())
                .setStopReason(message.stopReason().map(reason -> stopReason(reason.asString())).orElse(null))
                .build();
        // Anthropic counts cache reads and writes apart from input_tokens; the event counts all input together
        Usage usage = message.usage();
        long cacheRead = usage.cacheReadInputTokens().orElse(0L);
        long input = usage.inputTokens() + cacheRead + usage.cacheCreationInputTokens().orElse(0L);
        return new ProviderAnswer(result, input, usage.outputTokens(), usage.cacheReadInputTokens().orElse(null));
    }

    /** Anthropic stop reasons to MCP's. */
    public static String stopReason(String reason) {
        return switch (reason) {
            case "end_turn" -> "endTurn";
            case "max_tokens" -> "maxTokens";
            case "stop_sequence" -> "stopSequence";
            case "tool_use" -> "toolUse";
            default -> reason;
        };
    }

    private static ToolUseContent toolUse(ToolUseBlock block) {
        JsonNode input = json(block._input());
        if (input == null || !input.isObject()) {
            throw badResponse("the input of the call to tool '" + block.name() + "' is not a JSON object");
        }
        if (McpBlocks.depth(input) > McpBlocks.MAX_TOOL_INPUT_DEPTH) {
            throw badResponse("the input of the call to tool '" + block.name() + "' nests deeper than "
                    + McpBlocks.MAX_TOOL_INPUT_DEPTH + " levels");
        }
        return ToolUseContent.newBuilder().setId(block.id()).setName(block.name()).setInput(McpJson.write(input))
                .build();
    }

    private static JsonNode json(JsonValue value) {
        try {
            return McpJson.parse(ObjectMappers.jsonMapper().writeValueAsString(value));
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static ProviderFailure badResponse(String reason) {
        return new ProviderFailure(FailureCode.PROVIDER_BAD_RESPONSE, "The provider's answer is unusable: " + reason);
    }
}
