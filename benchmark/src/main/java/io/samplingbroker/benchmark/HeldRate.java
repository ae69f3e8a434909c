package io.samplingbroker.benchmark;

import java.util.List;

/**
 * What a series of fixed-rate steps says about a path's sustained throughput: it lies between the highest rate that
 * held and the lowest rate above it that did not. Comparing two paths from the same run's steps is honest only when
 * those brackets decide it; otherwise the verdict says so instead of guessing.
 *
 * @param held the highest fixed rate that held (0: none did)
 * @param failedAt the lowest fixed rate above {@code held} that did not hold (0: every rate above held, so the
 *        capacity is only known to be at least {@code held})
 */
record HeldRate(int held, int failedAt) {

    enum Verdict { MET, NOT_MET, UNDETERMINED }

    /** The bracket of {@code steps} under {@link LatencyStats#holds(double)} with {@code p99LimitMillis}. */
    static HeldRate of(List<LatencyStats> steps, double p99LimitMillis) {
        int held = 0;
        for (LatencyStats step : steps) {
            if (step.holds(p99LimitMillis)) {
                held = Math.max(held, step.rate());
            }
        }
        int failedAt = 0;
        for (LatencyStats step : steps) {
            if (step.rate() > held && !step.holds(p99LimitMillis) && (failedAt == 0 || step.rate() < failedAt)) {
                failedAt = step.rate();
            }
        }
        return new HeldRate(held, failedAt);
    }

    /**
     * Whether this path's capacity is at least half of {@code other}'s: surely so when what this one held reaches
     * half of the rate the other failed at; surely not when the rate this one failed at is at most half of what the
     * other held; otherwise the steps do not tell.
     */
    Verdict atLeastHalfOf(HeldRate other) {
        if (other.failedAt > 0 && 2L * held >= other.failedAt) {
            return Verdict.MET;
        }
        if (failedAt > 0 && 2L * failedAt <= other.held) {
            return Verdict.NOT_MET;
        }
        return Verdict.UNDETERMINED;
    }

    String describe() {
        String upper = failedAt > 0 ? " (failed at " + failedAt + " req/s)" : " (the highest rate run: no upper bound)";
        return held > 0 ? held + " req/s" + upper
                : "no rate held" + (failedAt > 0 ? " (failed from " + failedAt + " req/s)" : "");
    }
}
