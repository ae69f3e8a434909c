package io.samplingbroker.modelworker.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.ResponsesModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseUsage;

import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.provider.FailureCode;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderFailure;

/**
 * A Responses API response to an MCP result: its {@code message} items' text (or refusal) as text blocks and its
 * {@code function_call} items as {@code tool_use} blocks, in order ({@code reasoning} items are the model's own and
 * are not passed on); the model; the stop reason: any function call → {@code toolUse}, {@code incomplete} for
 * {@code max_output_tokens} → {@code maxTokens}, another incomplete reason as itself ({@code content_filter}), else
 * {@code endTurn}; usage with cached input. A {@code failed} response is a bad response.
 */
public final class ResponsesResponseMapper {

    private ResponsesResponseMapper() {
    }

    /** @throws ProviderFailure with {@link FailureCode#PROVIDER_BAD_RESPONSE} when the body is not a usable answer */
    public static ProviderAnswer toAnswer(Response response) {
        try {
            return map(response);
        } catch (OpenAIInvalidDataException e) {
            throw ChatResponseMapper.badResponse("the response misses a required field or has one of the wrong type");
        }
    }

    private static ProviderAnswer map(Response response) {
        Optional<ResponseStatus> status = response.status();
        if (status.isPresent() && status.get().equals(ResponseStatus.FAILED)) {
            String code = response.error().map(error -> error.code().asString()).orElse("no error code");
            throw ChatResponseMapper.badResponse("the response failed (" + code + ")");
        }
        List<Object> content = new ArrayList<>();
        boolean toolCalls = false;
        for (ResponseOutputItem item : response.output()) {
            // the SDK reads [null] as a list holding null; it checks no element
            if (item == null) {
                throw ChatResponseMapper.badResponse("the response holds a null output item");
            }
            if (item.message().isPresent()) {
                for (ResponseOutputMessage.Content part : item.message().get().content()) {
                    if (part == null) {
                        throw ChatResponseMapper.badResponse("the response holds a message with null content");
                    }
                    part.outputText().ifPresent(text -> content.add(TextContent.newBuilder().setText(text.text()).build()));
                    part.refusal().ifPresent(refusal -> content.add(TextContent.newBuilder()
                            .setText(refusal.refusal()).build()));
                }
            } else if (item.functionCall().isPresent()) {
                toolCalls = true;
                ResponseFunctionToolCall call = item.functionCall().get();
                content.add(ToolUseContent.newBuilder().setId(call.callId()).setName(call.name())
                        .setInput(ChatResponseMapper.arguments(call.arguments(), call.name())).build());
            }
        }
        if (content.isEmpty()) {
            content.add(TextContent.newBuilder().setText("").build());
        }
        CreateMessageResult result = CreateMessageResult.newBuilder()
                .setRole(Role.assistant)
                .setContent(content)
                .setContentShape(content.size() == 1 ? ContentShape.SINGLE : ContentShape.ARRAY)
                .setModel(model(response.model()))
                .setStopReason(toolCalls ? "toolUse" : stopReason(response))
                .build();
        Optional<ResponseUsage> usage = response.usage();
        return new ProviderAnswer(result, usage.map(ResponseUsage::inputTokens).orElse(null),
                usage.map(ResponseUsage::outputTokens).orElse(null),
                usage.map(u -> u.inputTokensDetails().cachedTokens()).orElse(null));
    }

    private static String stopReason(Response response) {
        boolean incomplete = response.status().map(ResponseStatus.INCOMPLETE::equals).orElse(false);
        if (!incomplete) {
            return "endTurn";
        }
        String reason = response.incompleteDetails().flatMap(Response.IncompleteDetails::reason)
                .map(value -> value.asString()).orElse("incomplete");
        return "max_output_tokens".equals(reason) ? "maxTokens" : reason;
    }

    private static String model(ResponsesModel model) {
        if (model.isString()) {
            return model.asString();
        }
        return model.isChat() ? model.asChat().asString() : model.asOnly().asString();
    }
}
