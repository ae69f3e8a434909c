package io.samplingbroker.approvalworker.policy;

import java.util.ArrayList;
import java.util.List;

import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.events.mcp.ModelHint;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.ToolResultContent;

/**
 * What rule conditions look at in a request, read once. The prompt text is collected only when a rule asks for it,
 * and stays inside this object: it is never logged.
 */
public final class RequestFacts {

    private final SamplingContext context;
    private final CreateMessageParams params;
    private List<String> texts;

    public RequestFacts(SamplingRequested request) {
        this.context = request.getContext();
        this.params = request.getParams();
    }

    /** The host's tenant, or null when hosts are not authenticated (or its credential names none). */
    public String tenant() {
        return context.getTenant();
    }

    public String hostId() {
        return context.getHostId();
    }

    public String serverName() {
        return context.getServerName();
    }

    public long maxTokens() {
        return params.getMaxTokens();
    }

    public boolean hasTools() {
        return params.getTools() != null && !params.getTools().isEmpty();
    }

    /** {@code includeContext} as the model would see it: absent means {@code none} (the MCP default). */
    public IncludeContext includeContext() {
        return params.getIncludeContext() == null ? IncludeContext.none : params.getIncludeContext();
    }

    public List<String> modelHints() {
        List<String> names = new ArrayList<>();
        if (params.getModelPreferences() != null && params.getModelPreferences().getHints() != null) {
            for (ModelHint hint : params.getModelPreferences().getHints()) {
                if (hint.getName() != null) {
                    names.add(hint.getName());
                }
            }
        }
        return names;
    }

    /** An image anywhere in the conversation, tool results included. */
    public boolean hasImages() {
        for (SamplingMessage message : params.getMessages()) {
            for (Object block : message.getContent()) {
                if (block instanceof ImageContent) {
                    return true;
                }
                if (block instanceof ToolResultContent result
                        && result.getContent().stream().anyMatch(ImageContent.class::isInstance)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The length of the system prompt and every text block, in characters: the size of the prompt. */
    public long promptChars() {
        long chars = 0;
        for (String text : texts()) {
            chars += text.length();
        }
        return chars;
    }

    /** The system prompt and every text block of the messages, tool results included. */
    public List<String> texts() {
        if (texts == null) {
            List<String> collected = new ArrayList<>();
            if (params.getSystemPrompt() != null) {
                collected.add(params.getSystemPrompt());
            }
            for (SamplingMessage message : params.getMessages()) {
                for (Object block : message.getContent()) {
                    if (block instanceof TextContent text) {
                        collected.add(text.getText());
                    } else if (block instanceof ToolResultContent result) {
                        for (Object inner : result.getContent()) {
                            if (inner instanceof TextContent text) {
                                collected.add(text.getText());
                            }
                        }
                    }
                }
            }
            texts = collected;
        }
        return texts;
    }
}
