package io.samplingbroker.modelworker.provider;

import java.util.Objects;

/**
 * One model a request may be answered by: the primary, or a fallback.
 *
 * @param model the catalogue model's name (what the attempt log and metrics report)
 * @param provider the provider that serves it
 * @param call the attempt template for it; its timeout is the provider's per-attempt timeout
 * @param maxRetries retries allowed on this model when it is the last of the chain
 */
public record CallTarget(String model, ModelProvider provider, ProviderCall call, int maxRetries) {

    public CallTarget {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(call, "call");
    }
}
