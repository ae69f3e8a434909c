package io.samplingbroker.approvalworker.decision;

import java.util.Objects;

import io.samplingbroker.events.SamplingDecided;
import io.samplingbroker.events.SamplingResolved;

/**
 * The events one decision produces.
 *
 * @param decided for the decisions topic, always
 * @param resolved for the results topic when the request is denied (the server's answer) or forwarded to the host
 *     (the broker's instruction), else null
 */
public record Outcome(SamplingDecided decided, SamplingResolved resolved) {

    public Outcome {
        Objects.requireNonNull(decided, "decided");
    }
}
