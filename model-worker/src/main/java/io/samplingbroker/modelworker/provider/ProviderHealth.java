package io.samplingbroker.modelworker.provider;

import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One HTTP provider's live state, read by the metrics gauges.
 *
 * @param provider the provider's name
 * @param inFlight attempts in flight now
 * @param waiting attempts waiting for a concurrency slot now
 * @param circuit its circuit's state (closed when its breaker is off)
 */
public record ProviderHealth(String provider, IntSupplier inFlight, IntSupplier waiting,
        Supplier<CircuitState> circuit) {
}
