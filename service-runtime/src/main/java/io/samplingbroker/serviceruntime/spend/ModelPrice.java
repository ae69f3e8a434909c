package io.samplingbroker.serviceruntime.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What a model costs, in the catalogue's currency per million tokens (as providers publish their prices).
 *
 * @param input uncached input tokens, prompt cache writes included
 * @param output output tokens
 * @param cachedInput input tokens read from the provider's prompt cache
 */
public record ModelPrice(BigDecimal input, BigDecimal output, BigDecimal cachedInput) {

    public ModelPrice {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        cachedInput = cachedInput == null ? input : cachedInput;
        if (input.signum() < 0 || output.signum() < 0 || cachedInput.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /**
     * The cost of one call in micro-units of the currency (a millionth of a dollar, say), rounded up: a price per
     * million tokens is exactly micro-units per token.
     *
     * @param inputTokens all input tokens, cached ones included
     * @param cachedInputTokens of those, the ones read from the prompt cache (0 when unknown)
     */
    public long costMicros(long inputTokens, long cachedInputTokens, long outputTokens) {
        long cached = Math.min(Math.max(0, cachedInputTokens), inputTokens);
        BigDecimal cost = input.multiply(BigDecimal.valueOf(inputTokens - cached))
                .add(cachedInput.multiply(BigDecimal.valueOf(cached)))
                .add(output.multiply(BigDecimal.valueOf(outputTokens)));
        return cost.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The higher of each price: a reservation that no model of the two can exceed. */
    ModelPrice atLeast(ModelPrice other) {
        return new ModelPrice(input.max(other.input), output.max(other.output), cachedInput.max(other.cachedInput));
    }
}
