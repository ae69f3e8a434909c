package io.samplingbroker.modelworker.provider;

import java.util.Objects;

import io.samplingbroker.events.mcp.CreateMessageResult;

/**
 * A provider's answer, mapped to MCP.
 *
 * @param result the result as the server will see it
 * @param inputTokens prompt tokens the provider counted, or null when it did not say
 * @param outputTokens completion tokens the provider counted, or null
 */
public record ProviderAnswer(CreateMessageResult result, Long inputTokens, Long outputTokens) {

    public ProviderAnswer {
        Objects.requireNonNull(result, "result");
    }
}
