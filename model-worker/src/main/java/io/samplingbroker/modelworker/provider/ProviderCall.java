package io.samplingbroker.modelworker.provider;

import java.time.Duration;
import java.util.Objects;

import io.samplingbroker.events.mcp.CreateMessageParams;

/**
 * One attempt's input.
 *
 * @param requestId the sampling request's id, for logs only (never sent to the provider)
 * @param params the effective MCP params to execute
 * @param providerModel the provider-side model id
 * @param timeout the longest this attempt may take
 * @param traceParent the W3C {@code traceparent} an HTTP provider's request carries (the worker's span of the
 *     call), null for none
 */
public record ProviderCall(String requestId, CreateMessageParams params, String providerModel, Duration timeout,
        String traceParent) {

    public ProviderCall {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(providerModel, "providerModel");
        Objects.requireNonNull(timeout, "timeout");
    }

    public ProviderCall withTimeout(Duration newTimeout) {
        return new ProviderCall(requestId, params, providerModel, newTimeout, traceParent);
    }
}
