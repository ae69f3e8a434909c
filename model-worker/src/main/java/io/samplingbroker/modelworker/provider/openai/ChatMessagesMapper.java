package io.samplingbroker.modelworker.provider.openai;

import static io.samplingbroker.modelworker.provider.McpBlocks.typeName;
import static io.samplingbroker.modelworker.provider.McpBlocks.unsupported;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartInputAudio;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

/**
 * MCP sampling messages to Chat Completions messages:
 * <ul>
 *   <li>user text, images ({@code image_url} with a {@code data:} URL) and audio ({@code input_audio}, wav and mp3
 *   only: the formats the API accepts); a single text block is sent as a plain string, the most widely understood
 *   form among compatible servers;</li>
 *   <li>assistant text and {@code tool_use} blocks ({@code tool_calls} of type function, arguments as JSON text);</li>
 *   <li>a user message of {@code tool_result} blocks becomes one {@code tool} message per result; since tool
 *   messages carry text only, images and audio a tool returned follow in one user message;</li>
 *   <li>content types the format has no place for (resource links, embedded resources) travel as their JSON text.</li>
 * </ul>
 */
final class ChatMessagesMapper {

    private ChatMessagesMapper() {
    }

    static void addMessages(List<SamplingMessage> messages, ChatCompletionCreateParams.Builder request) {
        for (int i = 0; i < messages.size(); i++) {
            SamplingMessage message = messages.get(i);
            if (message.getRole() == Role.assistant) {
                request.addMessage(assistant(message, i));
            } else if (message.getContent().stream().anyMatch(ToolResultContent.class::isInstance)) {
                addToolResults(message, i, request);
            } else {
                request.addMessage(user(message.getContent(), i));
            }
        }
    }

    private static ChatCompletionUserMessageParam user(List<Object> blocks, int index) {
        if (blocks.size() == 1 && blocks.get(0) instanceof TextContent text) {
            return ChatCompletionUserMessageParam.builder().content(text.getText()).build();
        }
        List<ChatCompletionContentPart> parts = new ArrayList<>();
        for (Object block : blocks) {
            parts.add(userPart(block, index));
        }
        return ChatCompletionUserMessageParam.builder().contentOfArrayOfContentParts(parts).build();
    }

    private static ChatCompletionContentPart userPart(Object block, int index) {
        if (block instanceof TextContent text) {
            return textPart(text.getText());
        }
        if (block instanceof ImageContent image) {
            return ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                            .url("data:" + image.getMimeType() + ";base64," + image.getData())
                            .build())
                    .build());
        }
        if (block instanceof AudioContent audio) {
            return ChatCompletionContentPart.ofInputAudio(ChatCompletionContentPartInputAudio.builder()
                    .inputAudio(ChatCompletionContentPartInputAudio.InputAudio.builder()
                            .data(audio.getData())
                            .format(audioFormat(audio.getMimeType(), index))
                            .build())
                    .build());
        }
        if (block instanceof OtherContent other) {
            return textPart(other.getJson());
        }
        throw unsupported("message " + index + ": a " + typeName(block) + " block cannot be sent in a user message");
    }

    private static ChatCompletionAssistantMessageParam assistant(SamplingMessage message, int index) {
        ChatCompletionAssistantMessageParam.Builder assistant = ChatCompletionAssistantMessageParam.builder();
        List<String> texts = new ArrayList<>();
        boolean toolCalls = false;
        for (Object block : message.getContent()) {
            if (block instanceof TextContent text) {
                texts.add(text.getText());
            } else if (block instanceof OtherContent other) {
                texts.add(other.getJson());
            } else if (block instanceof ToolUseContent toolUse) {
                toolCalls = true;
                assistant.addToolCall(ChatCompletionMessageFunctionToolCall.builder()
                        .id(toolUse.getId())
                        .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                .name(toolUse.getName())
                                .arguments(toolUse.getInput())
                                .build())
                        .build());
            } else {
                throw unsupported("message " + index + ": an assistant message cannot carry " + typeName(block)
                        + " content in the Chat Completions format");
            }
        }
        if (!texts.isEmpty() || !toolCalls) {
            assistant.content(String.join("\n", texts));
        }
        return assistant.build();
    }

    private static void addToolResults(SamplingMessage message, int index, ChatCompletionCreateParams.Builder request) {
        List<ChatCompletionContentPart> media = new ArrayList<>();
        for (Object block : message.getContent()) {
            if (!(block instanceof ToolResultContent result)) {
                throw unsupported("message " + index + ": tool_result blocks cannot be mixed with other content");
            }
            ToolResultParts parts = ToolResultParts.of(result);
            for (Object part : parts.media()) {
                if (media.isEmpty()) {
                    media.add(textPart(ToolResultParts.MEDIA_INTRO));
                }
                media.add(userPart(part, index));
            }
            request.addMessage(ChatCompletionToolMessageParam.builder()
                    .toolCallId(result.getToolUseId())
                    .content(parts.text())
                    .build());
        }
        if (!media.isEmpty()) {
            request.addMessage(ChatCompletionUserMessageParam.builder().contentOfArrayOfContentParts(media).build());
        }
    }

    private static ChatCompletionContentPart textPart(String text) {
        return ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(text).build());
    }

    /** The API takes wav and mp3 only; anything else is refused here rather than by the provider. */
    static ChatCompletionContentPartInputAudio.InputAudio.Format audioFormat(String mimeType, int index) {
        String type = mimeType == null ? "" : mimeType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return switch (type) {
            case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave" ->
                ChatCompletionContentPartInputAudio.InputAudio.Format.WAV;
            case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3" ->
                ChatCompletionContentPartInputAudio.InputAudio.Format.MP3;
            default -> throw unsupported("message " + index + ": " + type + " audio cannot be sent in the Chat "
                    + "Completions format (wav or mp3 only)");
        };
    }
}
