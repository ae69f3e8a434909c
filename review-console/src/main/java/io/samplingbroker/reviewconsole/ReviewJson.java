package io.samplingbroker.reviewconsole;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.events.ReviewVerdict;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.ModelPreferences;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.schemas.json.SamplingParamsJson;
import io.samplingbroker.schemas.json.SamplingResultJson;

/** A review item as the console's JSON: the summary of lists and events, and the detail of one item. */
final class ReviewJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** A rough, model-independent token estimate: about four characters of English text per token. */
    private static final int CHARS_PER_TOKEN = 4;

    private ReviewJson() {
    }

    static ObjectNode summary(ReviewItem item) {
        SamplingContext context = item.getContext();
        CreateMessageParams params = item.getParams();
        Counts counts = count(params);
        ObjectNode json = JSON.objectNode();
        json.put("requestId", context.getRequestId());
        json.put("stage", lower(item.getStage()));
        json.put("state", lower(item.getState()));
        json.put("hostId", context.getHostId());
        json.put("serverName", context.getServerName());
        json.put("sessionId", context.getSessionId());
        json.put("triggeringToolCall", item.getTriggeringToolCall());
        json.put("heldBy", item.getHeldBy());
        json.put("holdReason", item.getHoldReason());
        json.put("heldAt", millis(item.getHeldAt()));
        json.put("requestedAt", millis(context.getRequestedAt()));
        json.put("deadline", millis(context.getDeadline()));
        json.set("modelPreferences", modelPreferences(params.getModelPreferences()));
        json.put("forcedModel", item.getForcedModel());
        json.put("maxTokens", params.getMaxTokens());
        json.put("promptTokens", (counts.textChars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
        json.put("messageCount", params.getMessages().size());
        json.put("imageCount", counts.images);
        json.put("toolCount", params.getTools() == null ? 0 : params.getTools().size());
        json.put("reviewResponse", item.getReviewResponse());
        json.put("completionTokens", item.getOutputTokens());
        json.set("decision", item.getDecision() == null ? JSON.nullNode() : decision(item.getDecision()));
        json.put("updatedAt", millis(item.getUpdatedAt()));
        return json;
    }

    static ObjectNode detail(ReviewItem item) {
        ObjectNode json = summary(item);
        json.set("params", SamplingParamsJson.toJson(item.getParams()));
        json.set("completion", item.getCompletion() == null ? JSON.nullNode()
                : SamplingResultJson.toJson(item.getCompletion()));
        json.put("provider", item.getProvider());
        json.put("inputTokens", item.getInputTokens());
        json.put("outputTokens", item.getOutputTokens());
        return json;
    }

    static ObjectNode decision(ReviewVerdict verdict) {
        ObjectNode json = JSON.objectNode();
        json.put("reviewer", verdict.getReviewer());
        json.put("decidedAt", millis(verdict.getDecidedAt()));
        json.put("action", lower(verdict.getAction()));
        json.put("reason", verdict.getReason());
        ArrayNode changes = json.putArray("changes");
        verdict.getChanges().forEach(changes::add);
        return json;
    }

    private static ObjectNode modelPreferences(ModelPreferences preferences) {
        if (preferences == null) {
            return null;
        }
        ObjectNode json = JSON.objectNode();
        ArrayNode hints = json.putArray("hints");
        if (preferences.getHints() != null) {
            for (ModelHint hint : preferences.getHints()) {
                if (hint.getName() != null) {
                    hints.add(hint.getName());
                }
            }
        }
        json.put("costPriority", preferences.getCostPriority());
        json.put("speedPriority", preferences.getSpeedPriority());
        json.put("intelligencePriority", preferences.getIntelligencePriority());
        return json;
    }

    /** Text characters (system prompt, text blocks, text inside tool results) and images, anywhere. */
    private static Counts count(CreateMessageParams params) {
        Counts counts = new Counts();
        if (params.getSystemPrompt() != null) {
            counts.textChars += params.getSystemPrompt().length();
        }
        for (SamplingMessage message : params.getMessages()) {
            count(message.getContent(), counts);
        }
        return counts;
    }

    private static void count(List<Object> blocks, Counts counts) {
        for (Object block : blocks) {
            if (block instanceof TextContent text) {
                counts.textChars += text.getText().length();
            } else if (block instanceof ImageContent) {
                counts.images++;
            } else if (block instanceof ToolResultContent result) {
                count(result.getContent(), counts);
            }
        }
    }

    private static final class Counts {
        long textChars;
        int images;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
