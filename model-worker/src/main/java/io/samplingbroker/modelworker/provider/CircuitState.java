package io.samplingbroker.modelworker.provider;

import java.util.Locale;

/** A provider's circuit: closed (calls go through), half-open (one probe goes through), open (none do). */
public enum CircuitState {
    CLOSED(0), HALF_OPEN(1), OPEN(2);

    private final int gaugeValue;

    CircuitState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** The value of the {@code sampling_provider_circuit_state} gauge: 0 closed, 1 half-open, 2 open. */
    public int gaugeValue() {
        return gaugeValue;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
