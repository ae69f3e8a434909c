package io.samplingbroker.modelworker.worker;

import java.time.Duration;

/**
 * The decision loop's bounds.
 *
 * @param maxInFlight jobs running at once; beyond it the worker pauses its partitions
 * @param drainTimeout how long a rebalance or shutdown waits for running jobs before abandoning them
 * @param lookback how far back the completions and lifecycle topics are read when a partition is taken over; it must
 *     cover the longest request lifetime (deadline minus request time)
 * @param catchUpTimeout how long that read back (or a dead-letter write) may take
 */
public record WorkerLimits(int maxInFlight, Duration drainTimeout, Duration lookback, Duration catchUpTimeout) {

    public WorkerLimits {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        if (drainTimeout.isNegative() || lookback.isNegative() || lookback.isZero() || catchUpTimeout.isNegative()
                || catchUpTimeout.isZero()) {
            throw new IllegalArgumentException("drainTimeout must not be negative; lookback and catchUpTimeout must be positive");
        }
    }
}
