package io.samplingbroker.modelworker.provider.anthropic;

import static io.samplingbroker.modelworker.provider.McpBlocks.typeName;
import static io.samplingbroker.modelworker.provider.McpBlocks.unsupported;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolChoice;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;

/**
 * MCP {@code sampling/createMessage} params to an Anthropic Messages request, one to one where the formats agree:
 * {@code systemPrompt} as {@code system}; user and assistant messages with text, base64 images (jpeg, png, gif,
 * webp: what the API takes), {@code tool_use} (assistant) and {@code tool_result} (user) blocks; tools with their
 * JSON Schema as {@code input_schema}; {@code toolChoice} auto / required / none as {@code auto} / {@code any} /
 * {@code none}; {@code maxTokens}, {@code temperature} and {@code stopSequences}. Content types MCP knows but the
 * format has no place for (resource links, embedded resources) travel as their JSON text, as on the OpenAI path.
 * Audio fails with {@link FailureCode#UNSUPPORTED_CONTENT}: Anthropic takes none.
 */
public final class MessagesRequestMapper {

    private static final List<String> IMAGE_TYPES = List.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private MessagesRequestMapper() {
    }

    /** @throws ProviderFailure with {@link FailureCode#UNSUPPORTED_CONTENT} for content the format cannot carry */
    public static MessageCreateParams toRequest(CreateMessageParams params, String providerModel) {
        MessageCreateParams.Builder request = MessageCreateParams.builder().model(providerModel)
                .maxTokens(params.getMaxTokens());
        if (params.getSystemPrompt() != null && !params.getSystemPrompt().isEmpty()) {
            request.system(params.getSystemPrompt());
        }
        List<SamplingMessage> messages = params.getMessages();
        if (messages.isEmpty()) {
            // MCP allows an empty messages array; the API needs one message at least (the SDK's builder would throw
            // IllegalStateException, an internal error, instead of a refusal a fallback can take)
            throw unsupported("the request has no messages: the Anthropic Messages format needs at least one");
        }
        for (int i = 0; i < messages.size(); i++) {
            SamplingMessage message = messages.get(i);
            List<ContentBlockParam> blocks = blocks(message, i);
            if (message.getRole() == Role.assistant) {
                request.addAssistantMessageOfContentBlockParams(blocks);
            } else {
                request.addUserMessageOfContentBlockParams(blocks);
            }
        }
        if (params.getTools() != null && !params.getTools().isEmpty()) {
            params.getTools().forEach(tool -> request.addTool(tool(tool)));
            toolChoice(params.getToolChoice(), request);
        }
        if (params.getTemperature() != null) {
            // the SDK of this API version has no setter for it; the API still takes the field
            request.putAdditionalBodyProperty("temperature", JsonValue.from(params.getTemperature()));
        }
        if (params.getStopSequences() != null && !params.getStopSequences().isEmpty()) {
            request.stopSequences(params.getStopSequences());
        }
        return request.build();
    }

    private static List<ContentBlockParam> blocks(SamplingMessage message, int index) {
        boolean assistant = message.getRole() == Role.assistant;
        List<ContentBlockParam> blocks = new ArrayList<>();
        for (Object block : message.getContent()) {
            if (block instanceof TextContent text) {
                blocks.add(ContentBlockParam.ofText(text.getText()));
            } else if (block instanceof OtherContent other) {
                blocks.add(ContentBlockParam.ofText(other.getJson()));
            } else if (block instanceof ImageContent image && !assistant) {
                blocks.add(ContentBlockParam.ofImage(image(image, index)));
            } else if (block instanceof ToolUseContent toolUse && assistant) {
                blocks.add(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id(toolUse.getId())
                        .name(toolUse.getName()).input(input(toolUse, index)).build()));
            } else if (block instanceof ToolResultContent result && !assistant) {
                blocks.add(ContentBlockParam.ofToolResult(toolResult(result, index)));
            } else if (block instanceof AudioContent) {
                throw unsupported("message " + index + ": audio cannot be sent in the Anthropic Messages format");
            } else {
                throw unsupported("message " + index + ": a" + (assistant ? "n assistant" : " user") + " message cannot"
                        + " carry " + typeName(block) + " content in the Anthropic Messages format");
            }
        }
        return blocks;
    }

    private static ImageBlockParam image(ImageContent image, int index) {
        String type = image.getMimeType() == null ? "" : image.getMimeType().toLowerCase(Locale.ROOT).split(";")[0]
                .trim();
        if (!IMAGE_TYPES.contains(type)) {
            throw unsupported("message " + index + ": " + type + " images cannot be sent in the Anthropic Messages"
                    + " format (jpeg, png, gif or webp only)");
        }
        return ImageBlockParam.builder().source(Base64ImageSource.builder().data(image.getData())
                .mediaType(Base64ImageSource.MediaType.of(type)).build()).build();
    }

    private static ToolUseBlockParam.Input input(ToolUseContent toolUse, int index) {
        JsonNode input = object(toolUse.getInput());
        if (input == null) {
            throw unsupported("message " + index + ": the input of the call to tool '" + toolUse.getName()
                    + "' is not a JSON object");
        }
        ToolUseBlockParam.Input.Builder members = ToolUseBlockParam.Input.builder();
        input.properties().forEach(member -> members.putAdditionalProperty(member.getKey(),
                JsonValue.fromJsonNode(member.getValue())));
        return members.build();
    }

    /** Text and images stay blocks of the result; a result with neither gives its structured content as text. */
    private static ToolResultBlockParam toolResult(ToolResultContent result, int index) {
        List<ToolResultBlockParam.Content.Block> parts = new ArrayList<>();
        for (Object part : result.getContent()) {
            if (part instanceof TextContent text) {
                parts.add(ToolResultBlockParam.Content.Block.ofText(text.getText()));
            } else if (part instanceof OtherContent other) {
                parts.add(ToolResultBlockParam.Content.Block.ofText(other.getJson()));
            } else if (part instanceof ImageContent image) {
                parts.add(ToolResultBlockParam.Content.Block.ofImage(image(image, index)));
            } else {
                throw unsupported("message " + index + ": a tool result cannot carry " + typeName(part)
                        + " content in the Anthropic Messages format");
            }
        }
        if (parts.isEmpty() && result.getStructuredContent() != null) {
            parts.add(ToolResultBlockParam.Content.Block.ofText(result.getStructuredContent()));
        }
        ToolResultBlockParam.Builder block = ToolResultBlockParam.builder().toolUseId(result.getToolUseId())
                .contentOfBlocks(parts);
        if (Boolean.TRUE.equals(result.getIsError())) {
            block.isError(true);
        }
        return block.build();
    }

    private static Tool tool(io.samplingbroker.events.mcp.Tool tool) {
        JsonNode schema = object(tool.getInputSchema());
        if (schema == null) {
            throw unsupported("tool '" + tool.getName() + "': inputSchema is not a JSON object");
        }
        Tool.InputSchema.Builder inputSchema = Tool.InputSchema.builder();
        schema.properties().forEach(member -> inputSchema.putAdditionalProperty(member.getKey(),
                JsonValue.fromJsonNode(member.getValue())));
        Tool.Builder built = Tool.builder().name(tool.getName()).inputSchema(inputSchema.build());
        String description = tool.getDescription() != null ? tool.getDescription() : tool.getTitle();
        if (description != null) {
            built.description(description);
        }
        return built.build();
    }

    /** No mode leaves the provider's default ({@code auto}). */
    private static void toolChoice(ToolChoice choice, MessageCreateParams.Builder request) {
        if (choice == null || choice.getMode() == null) {
            return;
        }
        switch (choice.getMode()) {
            case auto -> request.toolChoice(ToolChoiceAuto.builder().build());
            case required -> request.toolChoice(ToolChoiceAny.builder().build());
            case none -> request.toolChoice(ToolChoiceNone.builder().build());
        }
    }

    private static JsonNode object(String json) {
        try {
            JsonNode node = McpJson.parse(json);
            return node != null && node.isObject() ? node : null;
        } catch (InvalidSamplingJsonException e) {
            return null;
        }
    }
}
