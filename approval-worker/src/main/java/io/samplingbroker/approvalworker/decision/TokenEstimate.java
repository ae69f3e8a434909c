package io.samplingbroker.approvalworker.decision;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.samplingbroker.events.mcp.AudioContent;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.ImageContent;
import io.samplingbroker.events.mcp.OtherContent;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolResultContent;
import io.samplingbroker.events.mcp.ToolUseContent;

/**
 * What a request may spend, before a model has seen it: {@code maxTokens} plus an estimate of its input tokens. Token
 * budgets reserve this much at decision time and settle on what the provider reports, so the estimate errs high: one
 * token per three UTF-8 bytes of text (English runs about four characters a token, CJK one character of three bytes
 * a token), tool definitions and tool inputs counted as their JSON, and a flat {@value #MEDIA_TOKENS} tokens per
 * image or audio block (Anthropic bills a 1.15-megapixel image about 1,600 tokens).
 */
public final class TokenEstimate {

    static final long MEDIA_TOKENS = 1_600;
    private static final int BYTES_PER_TOKEN = 3;

    private TokenEstimate() {
    }

    /**
     * {@code maxTokens} plus the input estimate: the most this request is expected to spend; at most
     * {@link Long#MAX_VALUE}, which no budget has room for.
     */
    public static long reservation(CreateMessageParams params) {
        // a server may ask for any positive long as maxTokens: the sum must not wrap to a negative reservation,
        // which would pass every budget and give tokens back to the counter
        long input = input(params);
        return params.getMaxTokens() > Long.MAX_VALUE - input ? Long.MAX_VALUE : params.getMaxTokens() + input;
    }

    /** Estimated input tokens: system prompt, messages and tool definitions. */
    public static long input(CreateMessageParams params) {
        long bytes = bytes(params.getSystemPrompt());
        long media = 0;
        for (SamplingMessage message : params.getMessages()) {
            long[] counted = blocks(message.getContent());
            bytes += counted[0];
            media += counted[1];
        }
        if (params.getTools() != null) {
            for (Tool tool : params.getTools()) {
                bytes += bytes(tool.getName()) + bytes(tool.getDescription()) + bytes(tool.getInputSchema());
            }
        }
        return (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN + media * MEDIA_TOKENS;
    }

    /** Text bytes and media blocks of a message's content. */
    private static long[] blocks(List<?> content) {
        long bytes = 0;
        long media = 0;
        for (Object block : content) {
            if (block instanceof TextContent text) {
                bytes += bytes(text.getText());
            } else if (block instanceof ImageContent || block instanceof AudioContent) {
                media++;
            } else if (block instanceof ToolUseContent use) {
                bytes += bytes(use.getName()) + bytes(use.getInput());
            } else if (block instanceof ToolResultContent result) {
                long[] inner = blocks(result.getContent());
                bytes += inner[0];
                media += inner[1];
            } else if (block instanceof OtherContent other) {
                bytes += bytes(other.getJson());
            }
        }
        return new long[] {bytes, media};
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
