package io.samplingbroker.modelworker.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.completions.CompletionUsage;

import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.McpBlocks;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;

/**
 * A Chat Completion to an MCP result: the first choice's text (or refusal) as a text block, its function tool calls
 * as {@code tool_use} blocks, the provider's model name, and the stop reason: {@code stop} → {@code endTurn},
 * {@code length} → {@code maxTokens}, {@code tool_calls} (or any answer with tool calls) → {@code toolUse}; other
 * reasons ({@code content_filter}, ...) are kept as the provider-specific string MCP allows.
 *
 * <p>{@code stop} is also what the API says when a stop sequence ended the text; it cannot be told apart, so it
 * maps to {@code endTurn}.
 */
public final class ChatResponseMapper {

    private ChatResponseMapper() {
    }

    /** @throws ProviderFailure with {@link FailureCode#PROVIDER_BAD_RESPONSE} when the body is not a usable answer */
    public static ProviderAnswer toAnswer(ChatCompletion completion) {
        try {
            return map(completion);
        } catch (OpenAIInvalidDataException e) {
            // The SDK checks fields lazily: a missing or mistyped required field surfaces here.
            throw badResponse("the completion misses a required field or has one of the wrong type");
        }
    }

    private static ProviderAnswer map(ChatCompletion completion) {
        List<ChatCompletion.Choice> choices = completion.choices();
        if (choices.isEmpty()) {
            throw badResponse("the completion has no choices");
        }
        ChatCompletion.Choice choice = choices.get(0);
        if (choice == null) {
            // the SDK reads "choices":[null] as a list holding null; it checks no element
            throw badResponse("the completion's first choice is null");
        }
        ChatCompletionMessage message = choice.message();
        List<Object> content = new ArrayList<>();
        Optional<String> text = message.content().filter(t -> !t.isEmpty()).or(message::refusal);
        text.ifPresent(t -> content.add(TextContent.newBuilder().setText(t).build()));
        List<ChatCompletionMessageToolCall> toolCalls = message.toolCalls().orElse(List.of());
        for (ChatCompletionMessageToolCall call : toolCalls) {
            content.add(toolUse(call));
        }
        if (content.isEmpty()) {
            content.add(TextContent.newBuilder().setText("").build());
        }
        String stopReason = toolCalls.isEmpty()
                ? choice._finishReason().asKnown().map(reason -> stopReason(reason.asString())).orElse(null)
                : "toolUse";
        CreateMessageResult result = CreateMessageResult.newBuilder()
                .setRole(Role.assistant)
                .setContent(content)
                .setContentShape(content.size() == 1 ? ContentShape.SINGLE : ContentShape.ARRAY)
                .setModel(completion.model())
                .setStopReason(stopReason)
                .build();
        Optional<CompletionUsage> usage = completion.usage();
        return new ProviderAnswer(result,
                usage.flatMap(u -> u._promptTokens().asKnown()).orElse(null),
                usage.flatMap(u -> u._completionTokens().asKnown()).orElse(null),
                usage.flatMap(u -> u._promptTokensDetails().asKnown())
                        .flatMap(details -> details._cachedTokens().asKnown()).orElse(null));
    }

    /** Chat Completions finish reasons to MCP stop reasons. */
    public static String stopReason(String finishReason) {
        return switch (finishReason) {
            case "stop" -> "endTurn";
            case "length" -> "maxTokens";
            case "tool_calls", "function_call" -> "toolUse";
            default -> finishReason;
        };
    }

    private static ToolUseContent toolUse(ChatCompletionMessageToolCall call) {
        if (call == null) {
            throw badResponse("the completion holds a null tool call"); // "tool_calls":[null], as the SDK reads it
        }
        if (!call.isFunction()) {
            throw badResponse("the completion holds a tool call that is not a function call");
        }
        ChatCompletionMessageFunctionToolCall function = call.asFunction();
        return ToolUseContent.newBuilder()
                .setId(function.id())
                .setName(function.function().name())
                .setInput(arguments(function.function().arguments(), function.function().name()))
                .build();
    }

    /**
     * MCP wants the input as a JSON object; models send arguments as JSON text, sometimes empty for a tool without
     * parameters. Anything that is not an object is a bad response, not something to pass on to the server.
     */
    static String arguments(String arguments, String toolName) {
        if (arguments == null || arguments.isBlank()) {
            return "{}";
        }
        JsonNode parsed;
        try {
            parsed = McpJson.parse(arguments);
        } catch (InvalidSamplingJsonException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            throw badResponse("the arguments of the call to tool '" + toolName + "' are not a JSON object");
        }
        if (McpBlocks.depth(parsed) > McpBlocks.MAX_TOOL_INPUT_DEPTH) {
            throw badResponse("the arguments of the call to tool '" + toolName + "' nest deeper than "
                    + McpBlocks.MAX_TOOL_INPUT_DEPTH + " levels");
        }
        return McpJson.write(parsed);
    }

    static ProviderFailure badResponse(String reason) {
        return new ProviderFailure(FailureCode.PROVIDER_BAD_RESPONSE, "The provider's answer is unusable: " + reason);
    }
}
