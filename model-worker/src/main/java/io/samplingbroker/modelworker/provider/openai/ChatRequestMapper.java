package io.samplingbroker.modelworker.provider.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;

import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolChoice;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.McpBlocks;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;

/**
 * MCP {@code sampling/createMessage} params to a Chat Completions request: the system prompt as the first
 * {@code system} message, the messages (see {@link ChatMessagesMapper}), tools as functions with their JSON Schema,
 * {@code toolChoice} as {@code tool_choice}, {@code temperature}, {@code maxTokens} as {@code max_tokens} and
 * {@code stopSequences} as {@code stop}.
 *
 * <p>{@code max_tokens} rather than {@code max_completion_tokens}: every compatible server (vLLM, Ollama, llama.cpp,
 * LM Studio) understands it, and OpenAI still accepts it for chat models. The SDK marks its setter deprecated, so it
 * is set as a body property. {@code metadata} and {@code includeContext} have no Chat Completions counterpart and
 * are not sent.
 */
public final class ChatRequestMapper {

    private ChatRequestMapper() {
    }

    /**
     * @throws ProviderFailure with {@link FailureCode#UNSUPPORTED_CONTENT} for content the format cannot carry
     */
    public static ChatCompletionCreateParams toRequest(CreateMessageParams params, String providerModel) {
        ChatCompletionCreateParams.Builder request = ChatCompletionCreateParams.builder().model(providerModel);
        boolean systemPrompt = params.getSystemPrompt() != null && !params.getSystemPrompt().isEmpty();
        if (systemPrompt) {
            request.addSystemMessage(params.getSystemPrompt());
        }
        if (!systemPrompt && params.getMessages().isEmpty()) {
            // MCP allows an empty messages array; the format needs one message at least (the SDK's builder would
            // throw IllegalStateException, an internal error, instead of a refusal a fallback can take)
            throw McpBlocks.unsupported("the request has no messages and no system prompt: the Chat Completions"
                    + " format needs at least one message");
        }
        ChatMessagesMapper.addMessages(params.getMessages(), request);
        List<Tool> tools = params.getTools();
        if (tools != null && !tools.isEmpty()) {
            for (Tool tool : tools) {
                request.addTool(function(tool));
            }
            toolChoice(params.getToolChoice(), request);
        }
        if (params.getTemperature() != null) {
            request.temperature(params.getTemperature());
        }
        request.putAdditionalBodyProperty("max_tokens", JsonValue.from(params.getMaxTokens()));
        if (params.getStopSequences() != null && !params.getStopSequences().isEmpty()) {
            request.stopOfStrings(params.getStopSequences());
        }
        return request.build();
    }

    private static ChatCompletionFunctionTool function(Tool tool) {
        FunctionDefinition.Builder function = FunctionDefinition.builder().name(tool.getName());
        String description = tool.getDescription() != null ? tool.getDescription() : tool.getTitle();
        if (description != null) {
            function.description(description);
        }
        function.parameters(FunctionParameters.builder().additionalProperties(schema(tool)).build());
        return ChatCompletionFunctionTool.builder().function(function.build()).build();
    }

    private static Map<String, JsonValue> schema(Tool tool) {
        JsonNode schema = inputSchema(tool);
        Map<String, JsonValue> members = new LinkedHashMap<>();
        schema.properties().forEach(member -> members.put(member.getKey(), JsonValue.fromJsonNode(member.getValue())));
        return members;
    }

    /** A tool's {@code inputSchema}, which both OpenAI formats take as the function's parameters: a JSON object. */
    static JsonNode inputSchema(Tool tool) {
        JsonNode schema;
        try {
            schema = McpJson.parse(tool.getInputSchema());
        } catch (InvalidSamplingJsonException e) {
            schema = null;
        }
        if (schema == null || !schema.isObject()) {
            throw new ProviderFailure(FailureCode.UNSUPPORTED_CONTENT, "tool '" + tool.getName()
                    + "': inputSchema is not a JSON object");
        }
        return schema;
    }

    /** MCP's modes are the API's string options of the same names; no mode leaves the provider's default (auto). */
    private static void toolChoice(ToolChoice choice, ChatCompletionCreateParams.Builder request) {
        if (choice == null || choice.getMode() == null) {
            return;
        }
        request.toolChoice(switch (choice.getMode()) {
            case auto -> ChatCompletionToolChoiceOption.Auto.AUTO;
            case required -> ChatCompletionToolChoiceOption.Auto.REQUIRED;
            case none -> ChatCompletionToolChoiceOption.Auto.NONE;
        });
    }
}
