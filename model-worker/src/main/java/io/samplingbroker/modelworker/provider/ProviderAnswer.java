package io.samplingbroker.modelworker.provider;

import java.util.Objects;

import io.samplingbroker.events.mcp.CreateMessageResult;

/**
 * A provider's answer, mapped to MCP.
 *
 * @param result the result as the server will see it
 * @param inputTokens all prompt tokens the provider counted (prompt cache reads and writes included), or null when it
 *     did not say
 * @param outputTokens completion tokens the provider counted, or null
 * @param cachedInputTokens of the input tokens, those read from the provider's prompt cache, or null
 */
public record ProviderAnswer(CreateMessageResult result, Long inputTokens, Long outputTokens, Long cachedInputTokens) {

    public ProviderAnswer {
        Objects.requireNonNull(result, "result");
    }

    /** An answer whose provider has no prompt cache, or did not say. */
    public ProviderAnswer(CreateMessageResult result, Long inputTokens, Long outputTokens) {
        this(result, inputTokens, outputTokens, null);
    }
}
