package io.samplingbroker.modelworker.provider;

/** Told of each change of a provider's circuit, under no lock of its breaker's. */
@FunctionalInterface
public interface CircuitListener {

    void changed(String provider, CircuitState to);
}
